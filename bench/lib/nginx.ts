import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './children.js';
import { processTreeCpuSeconds } from './cpu.js';

export const nginxBinary = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((p) => fs.existsSync(p));
const brotliModule = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';

export interface NginxServer {
  readonly baseUrl: string;
  readonly pid: number;
  /** Whether nginx serves the brotli form (Debian package libnginx-mod-http-brotli-static) or only gzip. */
  readonly brotli: boolean;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * nginx (one worker, pinned like the other servers) serving a page's stored forms with
 * `gzip_static` (and `brotli_static` when its module is installed): the static-file server a
 * newsroom might put in front. Undefined where nginx is not installed.
 */
export async function startNginx(o: {
  dir: string;
  urlPath: string;
  forms: { identity: Buffer; gzip: Buffer; br: Buffer };
  cpu: number | undefined;
}): Promise<NginxServer | undefined> {
  if (!nginxBinary) return undefined;
  const brotli = fs.existsSync(brotliModule);
  const root = path.join(o.dir, 'nginx-root');
  const file = path.join(root, o.urlPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, o.forms.identity);
  fs.writeFileSync(`${file}.gz`, o.forms.gzip);
  fs.writeFileSync(`${file}.br`, o.forms.br);
  const port = await freePort();
  const conf = path.join(o.dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `${brotli ? `load_module ${brotliModule};\n` : ''}${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${path.join(o.dir, 'nginx.pid')};
error_log ${path.join(o.dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 5s; keepalive_requests 10000000;
  default_type text/html; charset utf-8;
  gzip off; gzip_static on;${brotli ? ' brotli_static on;' : ''}
  client_body_temp_path ${o.dir}/nginx-body; proxy_temp_path ${o.dir}/nginx-proxy;
  fastcgi_temp_path ${o.dir}/nginx-fastcgi; uwsgi_temp_path ${o.dir}/nginx-uwsgi; scgi_temp_path ${o.dir}/nginx-scgi;
  server { listen 127.0.0.1:${port}; root ${root}; location / { try_files $uri =404; } }
}
`,
  );
  const [command, args] = o.cpu === undefined ? [nginxBinary, ['-c', conf]] : ['taskset', ['-c', String(o.cpu), nginxBinary, '-c', conf]];
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr.trim()}`);
    const ok = await fetch(`${baseUrl}${o.urlPath}`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not answer within 10 s: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid as number;
  return {
    baseUrl,
    pid,
    brotli,
    cpuSeconds: () => processTreeCpuSeconds(pid),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// A reader in a process of its own, for story-render.bench.ts: for each line `<port> <path>` on
// stdin it sends `GET <path>` to 127.0.0.1:<port> over one keep-alive connection with
// `Accept-Encoding: gzip, br` and prints `<status> <ms> <bytes>`: the time from sending the request
// to the answer's last byte, the body read as bytes (never decoded). Run as
//   node --import tsx bench/timed-get.ts
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function timedGet(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const start = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { 'accept-encoding': 'gzip, br' }, timeout: 10_000 }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(`${res.statusCode} ${(performance.now() - start).toFixed(4)} ${bytes}`));
      res.on('error', (error) => resolve(`0 0 0 ${error.message}`));
    });
    req.on('error', (error) => resolve(`0 0 0 ${error.message}`));
    req.on('timeout', () => req.destroy(new Error('timed out')));
  });
}

const lines = readline.createInterface({ input: process.stdin });
console.log('timed-get ready');
for await (const line of lines) {
  const [port, path] = line.split(' ');
  console.log(await timedGet(Number(port), path ?? '/'));
}
agent.destroy();

// The benchmark's ceiling: a bare node:http server that answers every request with the same bytes
// from memory, picking the stored form the client accepts (brotli, gzip, plain) the way Readout
// does, so both send the same bytes. Run as a child process by story-page.bench.ts:
//   node --import tsx bench/baseline-server.ts <body-file> <content-type> [<gzip-file> <br-file> [<headers-file>]]
// With a headers file (JSON: for each coding the header list Readout sent with it) it answers with
// exactly those headers, so status line, headers and body are the same bytes as Readout's answer.
// It listens on 127.0.0.1 on a free port and prints "baseline listening on <port>".
import fs from 'node:fs';
import http from 'node:http';

const [bodyFile, contentType, gzipFile, brFile, headersFile] = process.argv.slice(2);
const sameHeaders = headersFile ? (JSON.parse(fs.readFileSync(headersFile, 'utf8')) as Record<string, string[]>) : undefined;
if (!bodyFile || !contentType) {
  console.error('usage: baseline-server.ts <body-file> <content-type> [<gzip-file> <br-file>]');
  process.exit(2);
}
const form = (file: string, encoding?: string) => {
  const body = fs.readFileSync(file);
  const headers: Record<string, string> = { 'content-type': contentType, 'content-length': String(body.length) };
  if (encoding) headers['content-encoding'] = encoding;
  if (gzipFile) headers.vary = 'Accept-Encoding';
  const same = sameHeaders?.[encoding ?? 'identity'];
  return { body, headers: same ?? headers };
};
const plain = form(bodyFile);
const gzip = gzipFile ? form(gzipFile, 'gzip') : plain;
const br = brFile ? form(brFile, 'br') : gzip;

const server = http.createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
  const accept = request.headers['accept-encoding'] ?? '';
  const chosen = accept.includes('br') ? br : accept.includes('gzip') ? gzip : plain;
  response.writeHead(200, chosen.headers);
  response.end(chosen.body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected server address');
  console.log(`baseline listening on ${address.port}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

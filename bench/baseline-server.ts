// The benchmark's ceiling: a bare node:http server that answers every request with the same bytes
// from memory. Run as a child process by story-page.bench.ts:
//   node --import tsx bench/baseline-server.ts <body-file> <content-type>
// It listens on 127.0.0.1 on a free port and prints "baseline listening on <port>".
import fs from 'node:fs';
import http from 'node:http';

const [bodyFile, contentType] = process.argv.slice(2);
if (!bodyFile || !contentType) {
  console.error('usage: baseline-server.ts <body-file> <content-type>');
  process.exit(2);
}
const body = fs.readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = http.createServer({ keepAliveTimeout: 5_000 }, (_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
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

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../harness/app.js';

/** Opens a raw connection, writes `data`, and resolves with what came back and how long until the server closed it. */
function stall(port: number, data: string, limitMs: number): Promise<{ closedAfterMs: number; received: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a stalled connection open for more than ${limitMs} ms`));
    }, limitMs);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

describe('slow and stalled clients', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await createTestApp({ db: 'sqlite', env: { READOUT_HEADERS_TIMEOUT_MS: '1000', READOUT_REQUEST_TIMEOUT_MS: '2000' } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t?.close());

  it('cuts off a client that never finishes its headers', async () => {
    const { closedAfterMs, received } = await stall(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 6_000);
    assert.ok(closedAfterMs < 3_500, `closed after ${closedAfterMs} ms`);
    assert.match(received, /^HTTP\/1.1 408/);
  });

  it('cuts off a client that stops sending its body', async () => {
    const head = 'POST /comments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncomment=';
    const { closedAfterMs } = await stall(port, head, 8_000);
    assert.ok(closedAfterMs < 4_500, `closed after ${closedAfterMs} ms`);
  });
});

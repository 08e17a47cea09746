import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { probeRedis, redisTestUrl, skipUnless } from '../../test/harness/services.js';
import { eventually } from '../../test/harness/wait.js';
import { RedisCacheBus, type AnnouncedPurge } from './cache-bus.js';
import { createLogger } from './logger.js';

describe('cache bus over Redis pub/sub', { skip: skipUnless(await probeRedis()) }, () => {
  const keyPrefix = `test-bus-${randomBytes(4).toString('hex')}:`;
  const heard = { a: [] as AnnouncedPurge[], b: [] as AnnouncedPurge[], wakesA: 0, wakesB: 0 };
  const log = createLogger('silent');
  const a = new RedisCacheBus({ url: redisTestUrl, keyPrefix, log, onPurge: (p) => heard.a.push(...p), onWake: () => heard.wakesA++ });
  const b = new RedisCacheBus({ url: redisTestUrl, keyPrefix, log, onPurge: (p) => heard.b.push(...p), onWake: () => heard.wakesB++ });
  before(() => Promise.all([a.connect(), b.connect()]));
  after(() => Promise.all([a.close(), b.close()]));

  it("carries one node's purges to the others, not back to itself", async () => {
    a.announce([{ id: 7, keys: ['story:3', 'front'] }]);
    await eventually(async () => heard.b.length === 1, 2_000);
    assert.deepEqual(heard.b, [{ id: 7, keys: ['story:3', 'front'] }]);
    assert.equal(heard.a.length, 0);
  });

  it('wakes the other nodes\u2019 relays when a node without one committed side effects', async () => {
    b.announce([], true);
    await eventually(async () => heard.wakesA === 1, 2_000);
    assert.equal(heard.wakesB, 0);
    assert.equal(heard.a.length, 0, 'a wake alone purges nothing');
  });

  it('ignores malformed messages', async () => {
    const raw = new Redis(redisTestUrl);
    try {
      await raw.publish(`${keyPrefix}cache-purge`, 'not json');
      await raw.publish(`${keyPrefix}cache-purge`, JSON.stringify({ node: 'x', purges: [{ id: 'one', keys: [1] }] }));
      a.announce([{ id: 8, keys: ['lists'] }]);
      await eventually(async () => heard.b.length === 2, 2_000);
      assert.deepEqual(heard.b[1], { id: 8, keys: ['lists'] });
    } finally {
      raw.disconnect();
    }
  });
});

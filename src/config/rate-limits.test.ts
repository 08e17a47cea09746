import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';
import { parseRateLimit } from './rate-limits.js';

describe('rate limit settings', () => {
  it('reads MAX/WINDOW in seconds, minutes, hours and days, and off', () => {
    assert.deepEqual(parseRateLimit('5/1m', '1/1s'), { max: 5, windowMs: 60_000 });
    assert.deepEqual(parseRateLimit('20/h', '1/1s'), { max: 20, windowMs: 3_600_000 });
    assert.deepEqual(parseRateLimit(' 100 / 30s ', '1/1s'), { max: 100, windowMs: 30_000 });
    assert.deepEqual(parseRateLimit('3/2d', '1/1s'), { max: 3, windowMs: 2 * 86_400_000 });
    assert.equal(parseRateLimit('OFF', '1/1s'), null);
    assert.deepEqual(parseRateLimit(undefined, '5/1m'), { max: 5, windowMs: 60_000 });
    assert.deepEqual(parseRateLimit('', '5/1m'), { max: 5, windowMs: 60_000 });
  });

  it('explains a value it does not understand', () => {
    for (const bad of ['5', '0/1m', '5/0m', '5/1w', 'five/1m', '5/31d']) {
      assert.match(String(parseRateLimit(bad, '5/1m')), /expected MAX\/WINDOW/, bad);
    }
  });

  it('has documented defaults, REDIS_URL and a key prefix in the config', () => {
    const config = loadConfig({}, '/tmp');
    assert.deepEqual(config.rateLimits, { commentIp: { max: 5, windowMs: 60_000 }, commentEmail: { max: 20, windowMs: 3_600_000 } });
    assert.deepEqual(config.redis, { url: undefined, keyPrefix: 'readout:' });
    const set = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', READOUT_REDIS_PREFIX: 'news1:', READOUT_COMMENT_RATE_IP: 'off' }, '/tmp');
    assert.deepEqual(set.redis, { url: 'redis://127.0.0.1:6379/2', keyPrefix: 'news1:' });
    assert.equal(set.rateLimits.commentIp, null);
    assert.throws(() => loadConfig({ READOUT_COMMENT_RATE_EMAIL: 'lots' }, '/tmp'), (e: Error) => e instanceof ConfigError && /READOUT_COMMENT_RATE_EMAIL: expected MAX\/WINDOW/.test(e.message));
    assert.throws(() => loadConfig({ REDIS_URL: 'localhost:6379' }, '/tmp'), /REDIS_URL: expected redis:\/\//);
  });
});

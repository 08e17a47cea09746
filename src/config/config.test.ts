import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to SQLite in data/readout.db on port 3000', () => {
    const config = loadConfig({}, '/srv/readout');
    assert.deepEqual(config.database, { kind: 'sqlite', file: path.join('/srv/readout', 'data', 'readout.db') });
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.trustProxy, false);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.http));
  });

  it('reads PostgreSQL and SQLite URLs, PUBLIC_URL and TRUST_PROXY', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://readout@db:5432/readout',
      PUBLIC_URL: 'https://news.example.org/',
      TRUST_PROXY: '10.0.0.1, 192.168.0.0/16',
    });
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://readout@db:5432/readout', namedStatements: true });
    // Behind a pooler that does not keep prepared statements they are turned off; a bad value is refused by name.
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://db/readout', READOUT_PG_NAMED_STATEMENTS: 'off' }).database, {
      kind: 'postgres',
      url: 'postgres://db/readout',
      namedStatements: false,
    });
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://db/readout', READOUT_PG_NAMED_STATEMENTS: 'no' }), /READOUT_PG_NAMED_STATEMENTS/);
    assert.equal(config.publicUrl, 'https://news.example.org');
    assert.equal(config.publicOrigin, 'https://news.example.org');
    assert.deepEqual(config.trustProxy, ['10.0.0.1', '192.168.0.0/16']);
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:db/site.db' }, '/srv').database, { kind: 'sqlite', file: '/srv/db/site.db' });
  });

  it('keeps media under the data folder, at most 10 MiB per upload, unless told otherwise', () => {
    assert.deepEqual(loadConfig({ READOUT_DATA_DIR: '/var/lib/readout' }, '/srv').media, { dir: '/var/lib/readout/media', maxBytes: 10 * 1024 * 1024 });
    assert.deepEqual(loadConfig({ READOUT_MEDIA_DIR: 'uploads', READOUT_MEDIA_MAX_BYTES: '2000000' }, '/srv').media, { dir: '/srv/uploads', maxBytes: 2_000_000 });
    assert.throws(() => loadConfig({ READOUT_MEDIA_MAX_BYTES: '10MB' }), /READOUT_MEDIA_MAX_BYTES: must be a positive whole number/);
  });

  it('reads the HTTP caching, CDN purge and worker settings, and refuses bad ones by name', () => {
    const defaults = loadConfig({}, '/srv/readout');
    assert.equal(defaults.pageCache.cacheControl, 'public, max-age=0, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400');
    assert.equal(defaults.pageCache.purge, undefined);
    assert.equal(defaults.workers, 1);
    const set = loadConfig(
      {
        READOUT_CACHE_SHARED_MAX_AGE: '86400',
        READOUT_CACHE_STALE_SECONDS: '0',
        READOUT_PURGE_URL: 'https://cdn.example/purge/{key}',
        READOUT_PURGE_METHOD: 'PURGE',
        READOUT_PURGE_HEADER: 'Fastly-Key: secret value',
        READOUT_WORKERS: '3',
      },
      '/srv/readout',
    );
    assert.equal(set.pageCache.cacheControl, 'public, max-age=0, s-maxage=86400, stale-while-revalidate=0, stale-if-error=86400');
    assert.deepEqual(set.pageCache.purge, { url: 'https://cdn.example/purge/{key}', method: 'PURGE', header: ['Fastly-Key', 'secret value'] });
    assert.equal(set.workers, 3);
    for (const [name, value] of [
      ['READOUT_PURGE_URL', 'ftp://cdn.example/'],
      ['READOUT_PURGE_URL', 'not a url'],
      ['READOUT_PURGE_HEADER', 'no colon'],
      ['READOUT_PURGE_METHOD', 'PATCH'],
      ['READOUT_WORKERS', '0'],
      ['READOUT_CACHE_SHARED_MAX_AGE', '-1'],
    ] as const) {
      assert.throws(() => loadConfig({ [name]: value }), (e: unknown) => e instanceof ConfigError && e.message.includes(name), `${name}=${value}`);
    }
  });

  it('names each bad variable, and hides database passwords', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /PORT: must be a positive whole number/.test(e.message));
    assert.throws(() => loadConfig({ PUBLIC_URL: 'ftp://x' }), /PUBLIC_URL/);
    assert.throws(() => loadConfig({ READOUT_TIMEZONE: 'Mars/Olympus' }), /READOUT_TIMEZONE/);
    assert.throws(() => loadConfig({ READOUT_LOCALE: 'not a locale!' }), /READOUT_LOCALE/);
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://example.org/news' }), /PUBLIC_URL: must be the site's origin/);
    assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY: "true" is not an IP address/);
    assert.throws(
      () => loadConfig({ READOUT_HEADERS_TIMEOUT_MS: '20000', READOUT_REQUEST_TIMEOUT_MS: '10000' }),
      /READOUT_HEADERS_TIMEOUT_MS: must not be larger/,
    );
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1' }).trustProxy, ['loopback', '10.0.0.0/8', '::1']);
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' }),
      (e: Error) => /DATABASE_URL/.test(e.message) && !e.message.includes('secret'),
    );
  });
});

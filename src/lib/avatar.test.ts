import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/config.js';
import { avatarId, avatarIdPattern, avatarKey, avatarPath, defaultAvatarId, renderAvatarSvg } from './avatar.js';
import { emailKey } from './email-key.js';

describe('local avatars', () => {
  const key = avatarKey('site-salt');
  const ek = emailKey('site-salt', 'ann@example.org');

  it('derives a 16-character id from the email key with the site key, never the key itself', () => {
    const id = avatarId(key, ek);
    assert.match(id, avatarIdPattern);
    assert.equal(avatarId(key, ek), id);
    assert.ok(!ek.includes(id));
    assert.notEqual(avatarId(avatarKey('another-site'), ek), id, 'another site draws another avatar');
    assert.notEqual(avatarId(key, emailKey('site-salt', 'bob@example.org')), id);
    assert.notEqual(key, 'site-salt');
  });

  it('gives erased comments (no email key) and a missing key the neutral avatar', () => {
    assert.equal(avatarId(key, ''), defaultAvatarId);
    assert.equal(avatarPath(undefined, ek), '/avatars/default.svg');
    assert.equal(avatarPath(key, ek), `/avatars/${avatarId(key, ek)}.svg`);
  });

  it('draws a mirrored 5×5 grid of plain shapes, the same every time', () => {
    const svg = renderAvatarSvg('AbCdEfGhIjKlMnOp');
    assert.equal(renderAvatarSvg('AbCdEfGhIjKlMnOp'), svg);
    assert.notEqual(renderAvatarSvg('AbCdEfGhIjKlMnOq'), svg);
    assert.doesNotMatch(svg, /script|href|style=|on\w+=|foreignObject|<image/i);
    const cells = [...svg.matchAll(/<rect x="(\d+)" y="(\d+)" width="8" height="8"\/>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const set = new Set(cells.map(([x, y]) => `${x},${y}`));
    for (const [x, y] of cells) assert.ok(set.has(`${4 + 4 * 8 - ((x as number) - 4)},${y}`), 'mirrored left to right');
    assert.match(renderAvatarSvg(defaultAvatarId), /<circle/);
  });
});

describe('READOUT_IP_RETENTION_DAYS', () => {
  it('defaults to 30 days and refuses what is not a positive whole number', () => {
    assert.equal(loadConfig({}).privacy.ipRetentionDays, 30);
    assert.equal(loadConfig({ READOUT_IP_RETENTION_DAYS: '7' }).privacy.ipRetentionDays, 7);
    for (const bad of ['0', '-1', '1.5', 'month']) assert.throws(() => loadConfig({ READOUT_IP_RETENTION_DAYS: bad }), /READOUT_IP_RETENTION_DAYS: must be a positive whole number/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommentRow } from '../../db/schema.js';
import { isOwnedBy, moderationHash, ownerKeyHash, newOwnerKey, verifyModerationHash, withinEditWindow } from './comments.owner.js';
import { arrangeThreads, commentPagePath, pageRange, withHeldComment } from './comments.pages.js';
import type { PublicComment } from './comments.repo.js';

const c = (id: number, parent: number | null, status: PublicComment['status'] = 'approved'): PublicComment => ({
  id,
  story_id: 1,
  parent_id: parent,
  depth: parent === null ? 1 : 2,
  author_name: `Reader ${id}`,
  author_url: null,
  body_html: `<p>Text ${id}</p>`,
  created_at: '2026-11-27T09:00:00.000Z',
  status,
  edited_at: null,
  email_key: `key${id}`,
});

describe('comment pages', () => {
  it('puts the page roots first, in page order, then their replies oldest first', () => {
    const rows = [c(1, null), c(2, null), c(3, 1), c(4, 2), c(5, 3)];
    assert.deepEqual(arrangeThreads(rows, [2, 1]).map((x) => x.id), [2, 1, 3, 4, 5]);
  });

  it('drops replies under a comment that is not shown, and deleted comments without a visible reply', () => {
    // 6 replies to 99 (held, not in rows); 7 is deleted and alone; 1 is deleted with reply 3.
    const rows = [c(1, null, 'deleted'), c(2, null), c(3, 1), c(6, 99), c(7, 2, 'deleted'), c(8, 7, 'deleted')];
    const out = arrangeThreads(rows, [1, 2]);
    assert.deepEqual(out.map((x) => x.id), [1, 2, 3]);
    assert.deepEqual({ name: out[0]?.author_name, body: out[0]?.body_html, key: out[0]?.email_key }, { name: '', body: '', key: '' });
  });

  it('adds a held comment where its author expects it', () => {
    const page = [c(1, null), c(2, null), c(3, 1)];
    const held = { ...c(9, null, 'pending'), author_email: 'secret@example.org' } as unknown as CommentRow;
    assert.deepEqual(withHeldComment(page, held, false).map((x) => x.id), [1, 2, 9, 3]);
    assert.deepEqual(withHeldComment(page, held, true).map((x) => x.id), [9, 1, 2, 3]);
    assert.ok(!JSON.stringify(withHeldComment(page, held, false)).includes('secret@example.org'));
    const reply = { ...c(10, 2, 'pending') } as unknown as CommentRow;
    assert.deepEqual(withHeldComment(page, reply, false).map((x) => x.id), [1, 2, 3, 10]);
  });

  it('addresses page 1 as the story itself', () => {
    assert.equal(commentPagePath('/stories/a', 1), '/stories/a');
    assert.equal(commentPagePath('/stories/a', 3), '/stories/a?cpage=3');
  });
});

describe('comment owners', () => {
  it('hashes a well-formed key only, and matches its comments', () => {
    const key = newOwnerKey();
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
    const hash = ownerKeyHash(key);
    assert.match(hash ?? '', /^[0-9a-f]{64}$/);
    assert.equal(ownerKeyHash('short'), undefined);
    assert.equal(ownerKeyHash(undefined), undefined);
    assert.equal(isOwnedBy({ owner_key_hash: hash ?? null }, hash), true);
    assert.equal(isOwnedBy({ owner_key_hash: hash ?? null }, ownerKeyHash(newOwnerKey())), false);
    assert.equal(isOwnedBy({ owner_key_hash: null }, hash), false);
    assert.equal(isOwnedBy({ owner_key_hash: hash ?? null }, undefined), false);
  });

  it('signs the held-comment address per comment and secret', () => {
    const h = moderationHash('secret', 12);
    assert.equal(verifyModerationHash('secret', 12, h), true);
    assert.equal(verifyModerationHash('secret', 13, h), false);
    assert.equal(verifyModerationHash('other', 12, h), false);
    assert.equal(verifyModerationHash('secret', 12, ''), false);
  });

  it('keeps the edit window open for exactly its minutes', () => {
    const comment = { created_at: '2026-11-27T09:00:00.000Z' };
    assert.equal(withinEditWindow(comment, 10, new Date('2026-11-27T09:10:00.000Z')), true);
    assert.equal(withinEditWindow(comment, 10, new Date('2026-11-27T09:10:00.001Z')), false);
  });
});

describe('page ranges of numbered threads', () => {
  it('counts up from the first thread (oldest first) or down from the last (newest first)', () => {
    assert.deepEqual(pageRange({ page: 1, perPage: 50, threads: 120, newestFirst: false }), { from: 1, to: 50 });
    assert.deepEqual(pageRange({ page: 3, perPage: 50, threads: 120, newestFirst: false }), { from: 101, to: 150 });
    assert.deepEqual(pageRange({ page: 1, perPage: 50, threads: 120, newestFirst: true }), { from: 71, to: 120 });
    assert.deepEqual(pageRange({ page: 3, perPage: 50, threads: 120, newestFirst: true }), { from: -29, to: 20 });
  });
});


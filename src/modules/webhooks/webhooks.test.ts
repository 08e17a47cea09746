import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { ValidationError } from '../../errors.js';
import type { OutboxEvent } from '../../platform/outbox.js';
import { webhookEventsFor } from './webhooks.fanout.js';
import { commentEventBody, excerpt, excerptLength } from './webhooks.payload.js';
import { parseWebhookForm, subscribedEvents } from './webhooks.schemas.js';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhooks.signing.js';

type CommentEvent = Parameters<typeof webhookEventsFor>[0];
const event = (topic: OutboxEvent['topic'], payload: Record<string, unknown>) =>
  ({ id: 1, topic, payload: { commentId: 7, storyId: 3, ...payload }, createdAt: '2026-11-27T09:00:00.000Z' }) as CommentEvent;

describe('webhook events for comment events', () => {
  it('announces a new comment with its fate, and nothing for spam', () => {
    assert.deepEqual(webhookEventsFor(event('comment.created', { status: 'approved' })), ['comment.created', 'comment.approved']);
    assert.deepEqual(webhookEventsFor(event('comment.created', { status: 'pending' })), ['comment.created', 'comment.held']);
    assert.deepEqual(webhookEventsFor(event('comment.created', { status: 'spam' })), []);
  });

  it('announces approval and holding by a moderator, and reports', () => {
    const change = (from: string, to: string) => webhookEventsFor(event('comment.status-changed', { from, to, actorId: 1 }));
    assert.deepEqual(change('pending', 'approved'), ['comment.approved']);
    assert.deepEqual(change('spam', 'approved'), ['comment.approved']);
    assert.deepEqual(change('approved', 'pending'), ['comment.held']);
    assert.deepEqual(change('approved', 'spam'), []);
    assert.deepEqual(change('pending', 'trash'), []);
    assert.deepEqual(change('approved', 'deleted'), []);
    assert.deepEqual(change('approved', 'approved'), []);
    assert.deepEqual(webhookEventsFor(event('comment.reported', { reportId: 2 })), ['comment.reported']);
  });
});

describe('webhook signatures', () => {
  it('is the hex HMAC-SHA256 of timestamp.body under the secret', () => {
    const secret = newWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(secret, newWebhookSecret());
    const body = '{"event":"comment.created"}';
    const signature = signWebhook(secret, '1795770000', body);
    assert.equal(signature, `sha256=${createHmac('sha256', secret).update(`1795770000.${body}`).digest('hex')}`);
    assert.ok(verifyWebhookSignature(secret, { timestamp: '1795770000', body, signature }));
    assert.ok(!verifyWebhookSignature(secret, { timestamp: '1795770001', body, signature }));
    assert.ok(!verifyWebhookSignature(secret, { timestamp: '1795770000', body: `${body} `, signature }));
    assert.ok(!verifyWebhookSignature(secret, { timestamp: '1795770000', body, signature: 'sha256=00' }));
  });
});

describe('webhook bodies', () => {
  const facts = {
    id: 7,
    story_id: 3,
    parent_id: null,
    status: 'pending' as const,
    author_name: 'Ann',
    author_url: null,
    body_source: 'Hello\n\n  world',
    body_html: '<p>Hello</p>\n<p>world</p>',
    created_at: '2026-11-27T09:00:00.000Z',
    headline: 'Talks',
    slug: 'talks',
  };

  it('carries the comment, its permalink and its story, and nothing about the commenter but name and site', () => {
    const body = commentEventBody(facts, { event: 'comment.held', deliveryId: 9, occurredAt: facts.created_at, publicUrl: 'https://news.example', storyPath: '/stories/talks' });
    assert.equal(body.comment.permalink, 'https://news.example/comment/7');
    assert.equal(body.comment.excerpt, 'Hello world');
    assert.deepEqual(body.story, { id: 3, headline: 'Talks', url: 'https://news.example/stories/talks' });
    assert.deepEqual(Object.keys(body.comment).sort(), ['authorName', 'authorUrl', 'createdAt', 'excerpt', 'html', 'id', 'parentId', 'permalink', 'status', 'storyId']);
  });

  it('cuts a long text with an ellipsis', () => {
    const cut = excerpt('ж'.repeat(excerptLength + 10));
    assert.equal([...cut].length, excerptLength);
    assert.ok(cut.endsWith('…'));
    assert.equal(excerpt('short'), 'short');
  });
});

describe('webhook form', () => {
  const errorsOf = (input: { url: string; description?: string; events?: string[] }) => {
    try {
      parseWebhookForm({ description: '', events: ['comment.held'], ...input });
      return {};
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      return error.fieldErrors;
    }
  };

  it('takes http(s) addresses only, and known events', () => {
    assert.deepEqual(errorsOf({ url: 'https://chat.example.org/hooks/abc' }), {});
    assert.deepEqual(errorsOf({ url: ' http://10.0.0.5:8080/x ' }), {});
    for (const url of ['', 'chat.example.org', 'ftp://example.org/', 'javascript:alert(1)', 'https://u:p@example.org/', `https://e.org/${'x'.repeat(2_000)}`]) {
      assert.ok(errorsOf({ url }).url, url);
    }
    assert.ok(errorsOf({ url: 'https://e.org/', events: [] }).events);
    assert.ok(errorsOf({ url: 'https://e.org/', events: ['comment.deleted'] }).events);
    assert.ok(errorsOf({ url: 'https://e.org/', description: 'x'.repeat(201) }).description);
    assert.deepEqual(parseWebhookForm({ url: 'https://e.org/', description: ' a  b ', events: ['comment.reported', 'comment.created'] }), {
      url: 'https://e.org/',
      description: 'a b',
      events: ['comment.created', 'comment.reported'],
    });
  });

  it('reads stored events leniently', () => {
    assert.deepEqual(subscribedEvents({ events: '["comment.held","nope"]' }), ['comment.held']);
    assert.deepEqual(subscribedEvents({ events: 'garbage' }), []);
  });
});

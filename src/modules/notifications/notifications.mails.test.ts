import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmationMail, digestMail, excerpt, replyMail, unsubscribeHeaders } from './notifications.mails.js';

const site = { siteName: 'The Ledger', publicUrl: 'https://news.example' };
const unsubscribeUrl = 'https://news.example/unsubscribe?token=abc.def';

describe('notification mails', () => {
  it('carries RFC 8058 one-click unsubscribe headers on every kind of mail, with the link in the text too', () => {
    const mails = [
      confirmationMail(site, { to: 'a@example.org', headline: 'H', confirmUrl: 'https://news.example/subscriptions/confirm?token=x', unsubscribeUrl }),
      replyMail(site, { to: 'a@example.org', recipientName: 'Ann', replierName: 'Bob', headline: 'H', body: 'Hi', replyId: 7, unsubscribeUrl }),
      digestMail(site, { to: 'm@example.org', name: 'Mo', comments: [{ id: 1, author_name: 'Cy', body_source: 'text', headline: 'H' }], total: 1, unsubscribeUrl }),
    ];
    for (const mail of mails) {
      assert.deepEqual(mail.headers, unsubscribeHeaders(unsubscribeUrl));
      assert.equal(mail.headers?.['List-Unsubscribe'], `<${unsubscribeUrl}>`);
      assert.equal(mail.headers?.['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
      assert.ok(mail.text.includes(unsubscribeUrl));
    }
  });

  it('links a reply to its permalink and quotes an excerpt', () => {
    const mail = replyMail(site, { to: 'a@example.org', recipientName: 'Ann', replierName: 'Bob', headline: 'Talks', body: 'x'.repeat(600), replyId: 42, unsubscribeUrl });
    assert.equal(mail.subject, 'Bob replied to your comment on “Talks”');
    assert.ok(mail.text.includes('https://news.example/comment/42'));
    assert.match(mail.text, /> x{499}…\n/);
  });

  it('counts the digest and says how many more there are than listed', () => {
    const mail = digestMail(site, { to: 'm@example.org', name: 'Mo', comments: [{ id: 1, author_name: 'Cy', body_source: 'a', headline: 'H' }], total: 3, unsubscribeUrl });
    assert.equal(mail.subject, '3 comments awaiting moderation on The Ledger');
    assert.match(mail.text, /…and 2 more\./);
    assert.ok(mail.text.includes('https://news.example/admin/comments'));
  });

  it('cuts excerpts on characters, collapsing whitespace', () => {
    assert.equal(excerpt('  a\n\n b  ', 10), 'a b');
    assert.equal(excerpt('жжжжж', 3), 'жж…');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactAddresses } from './outbox-relay.js';

describe('relay error messages', () => {
  it('never keep an email address, as SMTP refusals quote recipients', () => {
    assert.equal(
      redactAddresses('550 5.1.1 <ann.reader+news@mail.example.org>: Recipient address rejected'),
      '550 5.1.1 <[address]>: Recipient address rejected',
    );
    assert.equal(redactAddresses('Can\'t send mail - all recipients were rejected: 550 bob@example.com'), "Can't send mail - all recipients were rejected: 550 [address]");
    assert.equal(redactAddresses('connect ECONNREFUSED 127.0.0.1:2525'), 'connect ECONNREFUSED 127.0.0.1:2525');
  });
});

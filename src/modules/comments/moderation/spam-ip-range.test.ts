import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { parseIpRange, spamIpRange, unmapIpv4 } from './spam-ip-range.js';

const check = (ip: string, spamIpRanges: string[]) => spamIpRange(ruleInput({ ip, rules: { spamIpRanges } }));

describe('spam-ip-range rule', () => {
  it('sends a listed IPv4 address to spam, naming the range and not the address', () => {
    assert.deepEqual(check('203.0.113.7', ['203.0.113.7']), [
      { rule: 'spam-ip-range', verdict: 'spam', detail: 'The client address is in 203.0.113.7, a range on the spam list.' },
    ]);
    assert.deepEqual(check('203.0.113.8', ['203.0.113.7']), []);
  });

  it('matches IPv4 CIDR ranges', () => {
    assert.equal(check('203.0.113.200', ['203.0.113.0/24']).length, 1);
    assert.deepEqual(check('203.0.114.1', ['203.0.113.0/24']), []);
    assert.equal(check('8.8.8.8', ['0.0.0.0/0']).length, 1);
  });

  it('matches IPv6 addresses and ranges in any notation', () => {
    assert.equal(check('2001:db8::1', ['2001:db8::/32']).length, 1);
    assert.equal(check('2001:0DB8:0000:0000:0000:0000:0000:0001', ['2001:db8::1']).length, 1);
    assert.deepEqual(check('2001:db9::1', ['2001:db8::/32']), []);
  });

  it('treats an IPv4-mapped IPv6 client as its IPv4 address', () => {
    assert.equal(check('::ffff:203.0.113.7', ['203.0.113.0/24']).length, 1);
    assert.equal(check('::FFFF:203.0.113.7', ['::ffff:203.0.113.0/120']).length, 1);
    assert.equal(unmapIpv4('::ffff:10.0.0.1'), '10.0.0.1');
    assert.equal(unmapIpv4('2001:db8::1'), '2001:db8::1');
  });

  it('does not match across families and skips invalid entries', () => {
    assert.deepEqual(check('2001:db8::1', ['203.0.113.0/24', 'not an ip', '10.0.0.0/33']), []);
    assert.deepEqual(check('unknown', ['0.0.0.0/0']), []);
  });

  it('parses entries for the settings form', () => {
    assert.deepEqual(parseIpRange('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseIpRange('2001:db8::'), { address: '2001:db8::', prefix: 128, family: 'ipv6' });
    assert.equal(parseIpRange('10.0.0.0/40'), undefined);
    assert.equal(parseIpRange('example.org'), undefined);
    assert.equal(parseIpRange('10.0.0.0/8 11.0.0.0/8'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleInput } from '../../../../test/builders/moderation.js';
import { hostsInText, knownSpamPatterns } from './spam-patterns.js';

const scoreOf = (body: string, authorName = 'Rosa') => knownSpamPatterns(ruleInput({ body, authorName }));

describe('known spam patterns (content score)', () => {
  it('scores nothing in an ordinary comment', () => {
    assert.deepEqual(scoreOf('The casino vote was close; I bought a cheap ticket online to watch it.'), []);
  });

  it('scores BBCode links', () => {
    const [reason] = scoreOf('Great post [url=https://x.example]click[/url]');
    assert.deepEqual(reason, { rule: 'spam-pattern', verdict: 'note', detail: 'Known spam pattern: BBCode link ([url=…] or [link=…]) (+4).', score: 4 });
  });

  it('scores raw HTML links', () => {
    assert.equal(scoreOf('see <a href="https://x.example">here</a>')[0]?.score, 3);
  });

  it('scores sales, pharmacy, gambling, crypto and SEO pitches, in the name too', () => {
    assert.match(scoreOf('Buy cheap watches!')[0]!.detail, /buy cheap/);
    assert.match(scoreOf('generic VIAGRA here')[0]!.detail, /pharmacy/);
    assert.match(scoreOf('nice', 'Online Casino Bonus')[0]!.detail, /gambling/);
    assert.match(scoreOf('get FREE BITCOIN now')[0]!.detail, /crypto/);
    assert.match(scoreOf('100x gains guaranteed')[0]!.detail, /crypto/);
    assert.match(scoreOf('We offer SEO services')[0]!.detail, /SEO/);
  });

  it('adds the points of every pattern found', () => {
    const reasons = scoreOf('Buy cheap viagra at our online casino [url=https://x.example]now[/url]');
    assert.equal(reasons.reduce((s, r) => s + (r.score ?? 0), 0), 3 + 4 + 4 + 4);
  });

  it('scores three or more addresses on one host, naming it', () => {
    const body = 'https://shop.example/a https://www.shop.example/b and http://shop.example/c';
    const [reason] = scoreOf(body);
    assert.equal(reason?.detail, 'Known spam pattern: 3 addresses on shop.example (+3).');
    assert.deepEqual(scoreOf('https://a.example/1 https://b.example/2 https://c.example/3'), []);
  });

  it('reads host names from written addresses', () => {
    assert.deepEqual(hostsInText('see https://Example.ORG/x, www.news.example and http://münchen.example'), ['example.org', 'news.example', 'münchen.example']);
  });
});

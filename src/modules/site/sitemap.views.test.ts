import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { newsLanguage, renderNewsSitemap, renderRobotsTxt, renderSitemapIndex, renderUrlset, xmlText } from './sitemap.views.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });

describe('sitemap documents', () => {
  it('gives Google News an ISO 639 language, zh-cn or zh-tw for Chinese', () => {
    assert.equal(newsLanguage('en-US'), 'en');
    assert.equal(newsLanguage('fr'), 'fr');
    assert.equal(newsLanguage('zh-TW'), 'zh-tw');
    assert.equal(newsLanguage('zh-Hant-HK'), 'zh-tw');
    assert.equal(newsLanguage('zh-CN'), 'zh-cn');
    assert.equal(newsLanguage('zh'), 'zh-cn');
  });

  it('escapes text and drops characters XML cannot carry', () => {
    assert.equal(xmlText('a & <b> "c" \'d\''), 'a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;');
    assert.equal(xmlText('bell\u0007 tab\t lone\ud800 pair\ud83d\ude00 \uffff'), 'bell tab\t lone pair\ud83d\ude00 ');
  });

  it('renders an index, a urlset and a news sitemap that parse back', () => {
    const index = parser.parse(renderSitemapIndex([{ url: 'https://n.example/sitemaps/stories-1.xml', lastmod: '2026-11-27T09:00:00.000Z' }]));
    assert.deepEqual(index.sitemapindex.sitemap, { loc: 'https://n.example/sitemaps/stories-1.xml', lastmod: '2026-11-27T09:00:00Z' });
    const set = parser.parse(renderUrlset('https://n.example', [{ path: '/stories/a?b&c', lastmod: undefined }]));
    assert.deepEqual(set.urlset.url, { loc: 'https://n.example/stories/a?b&c' });
    const news = parser.parse(
      renderNewsSitemap({ publicUrl: 'https://n.example', siteName: 'A & B', lang: 'de-DE', stories: [{ path: '/stories/x', headline: '</news:title>', publishedAt: '2026-11-27T09:00:00.000Z' }] }),
    );
    assert.equal(news.urlset['@_xmlns:news'], 'http://www.google.com/schemas/sitemap-news/0.9');
    assert.deepEqual(news.urlset.url['news:news'], {
      'news:publication': { 'news:name': 'A & B', 'news:language': 'de' },
      'news:publication_date': '2026-11-27T09:00:00Z',
      'news:title': '</news:title>',
    });
  });

  it('writes robots.txt with the sitemaps under the public URL', () => {
    assert.equal(
      renderRobotsTxt('https://n.example'),
      'User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /api/\nDisallow: /comments/\nDisallow: /privacy/\n\nSitemap: https://n.example/sitemap.xml\nSitemap: https://n.example/sitemaps/news.xml\n',
    );
  });
});

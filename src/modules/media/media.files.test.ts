import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectImageFormat, servedContentType, widthsFor } from './media.files.js';

describe('media files', () => {
  it('knows an image by its first bytes, not its name', () => {
    assert.equal(detectImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])), 'jpeg');
    assert.equal(detectImageFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'png');
    assert.equal(detectImageFormat(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1')), 'webp');
    assert.equal(detectImageFormat(Buffer.from('GIF89a')), 'gif');
    assert.equal(detectImageFormat(Buffer.from('RIFF\x00\x00\x00\x00WAVE', 'latin1')), undefined);
    assert.equal(detectImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')), undefined);
    assert.equal(detectImageFormat(Buffer.from('just text')), undefined);
    assert.equal(detectImageFormat(Buffer.alloc(0)), undefined);
  });

  it('makes variants no wider than the image', () => {
    assert.deepEqual(widthsFor(3000), [480, 960, 1600]);
    assert.deepEqual(widthsFor(1600), [480, 960, 1600]);
    assert.deepEqual(widthsFor(1000), [480, 960, 1000]);
    assert.deepEqual(widthsFor(960), [480, 960]);
    assert.deepEqual(widthsFor(200), [200]);
  });

  it('serves only well-formed variant paths', () => {
    const name = 'a'.repeat(32);
    assert.equal(servedContentType(`2026/11/${name}-480.webp`), 'image/webp');
    for (const bad of [
      `2026/11/${name}.jpg`,
      `../2026/11/${name}-480.webp`,
      `2026/11/../${name}-480.webp`,
      '../../etc/passwd',
      `2026/11/${name}-480.webp/`,
      `2026\\11\\${name}-480.webp`,
      `2026/11/${name.toUpperCase()}-480.webp`,
      '',
    ]) {
      assert.equal(servedContentType(bad), undefined, bad);
    }
  });
});

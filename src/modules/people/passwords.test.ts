import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, passwordProblem, temporaryPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(stored, 'correct horse battery'), true);
    assert.equal(await verifyPassword(stored, 'wrong horse battery'), false);
    assert.equal(await verifyPassword('not a hash', 'anything'), false);
  });

  it('refuses short, repetitive or personal passwords', () => {
    assert.match(passwordProblem('short') ?? '', /at least 12/);
    assert.match(passwordProblem('aaaaaaaaaaaaaaaa') ?? '', /more different characters/);
    assert.match(passwordProblem('amina-castell-2026', { name: 'Amina Castell', email: 'amina@example.org' }) ?? '', /your name or email/);
    assert.equal(passwordProblem('tide clock harbour 41'), undefined);
  });

  it('makes one-time passwords that pass the rules', () => {
    const a = temporaryPassword();
    assert.equal(a.length, 20);
    assert.notEqual(a, temporaryPassword());
    assert.equal(passwordProblem(a), undefined);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DomainError } from '../../errors.js';
import { projectRoot } from '../../platform/paths.js';
import { assertCan, can, permissions, roles, type Action, type Actor } from './people.policy.js';

const actor = (role: Actor['role']): Actor => ({ personId: 1, name: 'Test', role });

/** The expected matrix, written out by hand: a change to the policy must change this too. */
const expected: Record<Action, string> = {
  'admin.enter': 'admin editor author moderator',
  'story.create': 'admin editor author',
  'story.edit-own-draft': 'admin editor author',
  'story.edit-any': 'admin editor',
  'story.publish': 'admin editor',
  'story.correct': 'admin editor',
  'correction.remove': 'admin',
  'source.remove': 'admin',
  'comment.moderate': 'admin editor moderator',
  'comment.configure': 'admin editor',
  'feed.configure': 'admin editor',
  'commenter.anonymise': 'admin',
  'webhook.manage': 'admin',
  'person.manage': 'admin',
  'audit.read': 'admin',
};

describe('permissions', () => {
  it('allows every role exactly the actions in the matrix', () => {
    assert.deepEqual(Object.keys(permissions).sort(), Object.keys(expected).sort());
    for (const action of Object.keys(expected) as Action[]) {
      for (const role of roles) {
        const allowed = expected[action].split(' ').includes(role);
        assert.equal(can(actor(role), action), allowed, `${role} × ${action}`);
        if (allowed) assertCan(actor(role), action);
        else assert.throws(() => assertCan(actor(role), action), (e: Error) => e instanceof DomainError && e.code === 'AUTH_NOT_PERMITTED');
      }
    }
  });

  it('matches the table in docs/permissions.md', () => {
    const doc = fs.readFileSync(path.join(projectRoot, 'docs', 'permissions.md'), 'utf8');
    const header = doc.split('\n').find((l) => l.startsWith('| action |'))?.split('|').map((c) => c.trim()) ?? [];
    const docRoles = header.slice(3, -1);
    assert.deepEqual(docRoles, [...roles]);
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    assert.equal(rows.length, Object.keys(permissions).length);
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim());
      const action = (cells[1] ?? '').replace(/`/g, '') as Action;
      const allowed: string[] = docRoles.filter((_, i) => cells[3 + i] === 'yes');
      assert.deepEqual(allowed, [...permissions[action]], action);
    }
  });
});

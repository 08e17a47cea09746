import type { Role } from '../../db/schema.js';
import { DomainError } from '../../errors.js';

export const roles: readonly Role[] = ['admin', 'editor', 'author', 'moderator'];

/**
 * Who may do what. Every action a staff member can take is listed here and checked in the
 * domain layer; docs/permissions.md shows the same table (a test keeps the two in step).
 */
export const permissions = {
  'admin.enter': ['admin', 'editor', 'author', 'moderator'],
  'story.create': ['admin', 'editor', 'author'],
  'story.edit-own-draft': ['admin', 'editor', 'author'],
  'story.edit-any': ['admin', 'editor'],
  'story.publish': ['admin', 'editor'],
  'story.correct': ['admin', 'editor'],
  'correction.remove': ['admin'],
  'source.remove': ['admin'],
  'comment.moderate': ['admin', 'editor', 'moderator'],
  'comment.configure': ['admin', 'editor'],
  'feed.configure': ['admin', 'editor'],
  'commenter.anonymise': ['admin'],
  'webhook.manage': ['admin'],
  'person.manage': ['admin'],
  'audit.read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissions;

/** The signed-in staff member a use case acts for. */
export interface Actor {
  readonly personId: number;
  readonly name: string;
  readonly role: Role;
}

export function can(actor: Actor, action: Action): boolean {
  return (permissions[action] as readonly Role[]).includes(actor.role);
}

/** Throws AUTH_NOT_PERMITTED unless the actor's role allows the action. */
export function assertCan(actor: Actor, action: Action): void {
  if (!can(actor, action)) {
    throw new DomainError('AUTH_NOT_PERMITTED', `Your role (${actor.role}) does not allow this. Ask an administrator if you need it.`);
  }
}

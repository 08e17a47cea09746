import type { Deps } from '../../src/deps.js';
import { parseCommentForm, submitComment } from '../../src/modules/comments/index.js';

let counter = 0;

export interface CommentFields {
  storyId: number;
  parentId?: number;
  comment?: string;
  author?: string;
  email?: string;
  url?: string;
  ip?: string;
}

/** Saves a comment through the domain service (validation included) and returns the stored row. */
export async function buildComment(deps: Deps, fields: CommentFields) {
  counter++;
  const form = parseCommentForm({
    comment: fields.comment ?? `Comment number ${counter}`,
    author: fields.author ?? `Reader ${counter}`,
    email: fields.email ?? `reader${counter}@example.org`,
    url: fields.url ?? '',
    remember: false,
  });
  const ctx = { now: deps.clock.now(), ip: fields.ip ?? '192.0.2.1', userAgent: 'test', requestId: `test-${counter}` };
  const { comment } = await submitComment(deps, ctx, { storyId: fields.storyId, parentId: fields.parentId ?? 0, form });
  return comment;
}

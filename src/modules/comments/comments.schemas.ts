import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { isHttpUrl } from '../../lib/urls.js';

/** Limits on each field of the comment form, in characters (documented in docs/configuration.md). */
export const commentLimits = {
  comment: 10_000,
  author: 100,
  email: 254,
  url: 2_000,
} as const;

const count = (n: number) => n.toLocaleString('en-US');
const tooLong = (what: string, max: number) => (value: string) =>
  `${what} is too long: ${count([...value].length)} characters; the limit is ${count(max)}.`;

/** Characters a name may not contain: controls, and the angle brackets that only markup needs. */
const badNameChars = /[\u0000-\u001f\u007f<>]/;
/** A pragmatic address check: one @, a local part, and a domain with at least one dot and valid labels. */
const emailPattern = /^[^\s@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function limited(what: string, max: number) {
  return z.string().superRefine((v, ctx) => {
    // Characters, not UTF-16 units; a text no longer than `max` units needs no count.
    if (v.length > max && [...v].length > max) ctx.addIssue({ code: 'custom', message: tooLong(what, max)(v) });
  });
}

/** The reader's comment form (field names follow WordPress's comment form). */
export const commentFormSchema = z.object({
  comment: limited('Your comment', commentLimits.comment)
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .refine((v) => v.length > 0, 'Please type your comment.'),
  author: limited('Your name', commentLimits.author)
    .transform((v) => v.trim().replace(/\s+/g, ' '))
    .refine((v) => v.length > 0, 'Please enter your name.')
    .refine((v) => !badNameChars.test(v), 'Your name may not contain < or > or control characters.'),
  email: limited('Your email address', commentLimits.email)
    .transform((v) => v.trim())
    .refine((v) => v.length > 0, 'Please enter your email address.')
    .refine((v) => v.length === 0 || emailPattern.test(v), 'Please enter a valid email address, like name@example.com.'),
  url: limited('Your website address', commentLimits.url)
    .transform((v) => normaliseWebsite(v))
    .refine((v) => v === '' || isHttpUrl(v), 'Your website must be an address starting with http:// or https://.'),
  remember: z.boolean(),
  /** "Notify me of follow-up comments by email" (double opt-in: see src/modules/notifications). */
  notify: z.boolean().default(false),
});

export type CommentFormInput = z.input<typeof commentFormSchema>;
export type CommentForm = z.output<typeof commentFormSchema>;

/** Adds https:// to a bare host name ("example.org/me") the way readers usually type it. */
function normaliseWebsite(value: string): string {
  const v = value.trim();
  if (v === '' || /^[a-z][a-z0-9+.-]*:/i.test(v)) return v;
  return /^[^\s/]+\.[^\s/]+/.test(v) ? `https://${v}` : v;
}

/** Validates the form; throws ValidationError with one message per bad field, in form order. */
export function parseCommentForm(input: CommentFormInput): CommentForm {
  const result = commentFormSchema.safeParse(input);
  if (result.success) return result.data;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'comment');
    errors[field] ??= issue.message;
  }
  throw new ValidationError(errors);
}

import { z } from 'zod';
import { ValidationError } from '../../errors.js';

/** Same shape as the comment form's address check (comments.schemas.ts). */
const emailPattern = /^[^\s@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The "manage your comments" form: one address. */
export const privacyRequestBody = z.object({
  email: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim()),
});

/** The address from the form, or a ValidationError naming the field. */
export function parsePrivacyEmail(input: unknown): string {
  const parsed = privacyRequestBody.safeParse(input);
  const email = parsed.success ? parsed.data.email : '';
  if (email === '') throw new ValidationError({ email: 'Please enter the email address you comment with.' });
  if (email.length > 254 || !emailPattern.test(email)) {
    throw new ValidationError({ email: 'Please enter a valid email address, like name@example.com.' });
  }
  return email;
}

/** A privacy link's token, as the pages receive it (query or form field). */
export const privacyTokenInput = z.object({ token: z.string().max(4_096).optional().default('') });

import type { CorrectionKind } from '../../db/schema.js';
import { ValidationError, type FieldErrors } from '../../errors.js';

export const correctionKinds: readonly CorrectionKind[] = ['correction', 'clarification'];

/** Longest correction text and removal reason accepted, in characters (after trimming). */
export const correctionLimits = { text: 4_000, reason: 500 } as const;

export interface CorrectionForm {
  kind: CorrectionKind;
  /** Markdown, trimmed, with `\n` line ends. */
  text: string;
}

export function isCorrectionKind(value: unknown): value is CorrectionKind {
  return (correctionKinds as readonly unknown[]).includes(value);
}

/** Checks a correction as typed by an editor; throws a ValidationError naming each bad field. */
export function parseCorrectionForm(input: { kind: string; text: string }): CorrectionForm {
  const errors: FieldErrors = {};
  const text = normalise(input.text);
  if (!isCorrectionKind(input.kind)) errors.kind = 'Choose whether this is a correction or a clarification.';
  if (text === '') errors.text = 'Write the text of the correction.';
  else if (text.length > correctionLimits.text) {
    errors.text = `Keep it to ${correctionLimits.text.toLocaleString('en')} characters or fewer (this text has ${text.length.toLocaleString('en')}).`;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { kind: input.kind as CorrectionKind, text };
}

/** Checks the reason an admin gives for removing a correction; throws a ValidationError when it is missing or too long. */
export function parseRemovalReason(input: string): string {
  const reason = normalise(input);
  if (reason === '') throw new ValidationError({ reason: 'Give the reason for removing this correction; it is kept with it.' });
  if (reason.length > correctionLimits.reason) {
    throw new ValidationError({ reason: `Keep the reason to ${correctionLimits.reason} characters or fewer.` });
  }
  return reason;
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

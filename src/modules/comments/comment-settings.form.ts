import { isIP } from 'node:net';
import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../../errors.js';
import { commentSettingsSchema, type CommentSettings } from './comment-settings.js';
import { normaliseDomain, parseIpRange } from './moderation/index.js';

/**
 * The comment settings form of /admin/comments/settings: one field per setting, named by its
 * path (`perPage`, `rules.maxLinks`). Labels and help text live here; limits and choices are
 * read from `commentSettingsSchema`, so the form can never offer what the schema refuses.
 */
export type SettingKind = 'number' | 'choice' | 'checkbox' | 'lines';

export interface SettingField {
  /** `perPage` or `rules.maxLinks`: the form field's name. */
  name: string;
  label: string;
  help: string;
  kind: SettingKind;
  /** For numbers. */
  min?: number;
  max?: number;
  unit?: string;
  /** For choices: value → label. */
  choices?: readonly { value: string; label: string }[];
  /** Which box of the page it belongs to. */
  group: 'display' | 'rules' | 'lists' | 'score';
}

interface FieldText {
  label: string;
  help: string;
  unit?: string;
  group: SettingField['group'];
  choiceLabels?: Record<string, string>;
}

/** Label, help and group of every setting (a test checks that none is missing). */
export const settingTexts: Record<string, FieldText> = {
  perPage: { group: 'display', label: 'Comments per page', unit: 'top-level comments', help: 'Long threads are split into pages of this many top-level comments; replies always stay with their thread.' },
  order: { group: 'display', label: 'Order', help: 'Which comments readers see first.', choiceLabels: { oldest: 'Oldest first', newest: 'Newest first' } },
  closeAfterDays: { group: 'display', label: 'Close comments after', unit: 'days', help: 'Comments close this many days after a story is published, unless the story sets its own limit. 0 keeps them open.' },
  editWindowMinutes: { group: 'display', label: 'Commenters may edit or delete for', unit: 'minutes', help: 'After posting, from the same browser. 0 turns editing off.' },
  digest: { group: 'display', label: 'Moderator digest', help: 'How often moderators get an email listing held comments.', choiceLabels: { off: 'Off', hourly: 'Hourly', daily: 'Daily' } },
  'rules.holdFirstTimeCommenters': { group: 'rules', label: 'Hold comments from first-time commenters', help: 'Hold a comment when its email address has no approved comment yet. Once a moderator approves one, that address’s later comments appear at once (as in WordPress). Recommended.' },
  'rules.maxLinks': { group: 'rules', label: 'Hold comments with more links than', unit: 'links', help: 'Links in the comment text; the website field does not count. Default 2.' },
  'rules.minSecondsToSubmit': { group: 'rules', label: 'Hold comments sent faster than', unit: 'seconds after the page loaded', help: 'People take a while to write; scripts post at once. 0 turns this off.' },
  'rules.holdWithoutFormTimestamp': { group: 'rules', label: 'Hold comments whose form carried no signed timestamp', help: 'Every form this site serves carries one; a post without it was made by hand or by a script.' },
  'rules.formMaxAgeHours': { group: 'rules', label: 'Refuse forms older than', unit: 'hours', help: 'The reader gets a fresh form with their text kept.' },
  'rules.blockedPhrases': { group: 'lists', label: 'Blocked words and phrases (held)', help: 'One per line. Matched as whole words, ignoring case, in the comment, the name and the website: “ass” does not hold “class”.' },
  'rules.spamEmails': { group: 'lists', label: 'Spam email addresses', help: 'One address per line, e.g. bot@example.com (case does not matter). Their comments go straight to spam.' },
  'rules.spamDomains': { group: 'lists', label: 'Spam email domains', help: 'One domain per line, e.g. example.com: addresses there and at its subdomains (mail.example.com) go straight to spam.' },
  'rules.spamIpRanges': { group: 'lists', label: 'Spam IP addresses and ranges', help: 'One per line: an IPv4 or IPv6 address or a CIDR range, e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/32. Comments from there go straight to spam.' },
  'rules.holdScore': { group: 'score', label: 'Hold at spam score', unit: 'points', help: 'The content score adds points for known spam patterns (e.g. “buy cheap”, BBCode links), writing in capitals, repeated characters and link-heavy text. A comment with this many points is held.' },
  'rules.spamScore': { group: 'score', label: 'Spam at spam score', unit: 'points', help: 'A comment with this many points goes straight to spam. Must not be below the hold score.' },
};

const listLimits = { entries: 2_000, length: 254 };

type AnySchema = z.core.$ZodType;
const defOf = (s: AnySchema) => (s as unknown as { def: { type: string; innerType?: AnySchema; shape?: Record<string, AnySchema>; entries?: Record<string, string>; checks?: { _zod: { def: { check: string; value: number } } }[] } }).def;

/** Strips default/prefault wrappers. */
function unwrap(s: AnySchema): AnySchema {
  let def = defOf(s);
  while ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional') && def.innerType) {
    s = def.innerType;
    def = defOf(s);
  }
  return s;
}

function numberLimits(s: AnySchema): { min?: number; max?: number } {
  const limits: { min?: number; max?: number } = {};
  for (const c of defOf(s).checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'greater_than') limits.min = d.value;
    if (d.check === 'less_than') limits.max = d.value;
  }
  return limits;
}

function describe(name: string, schema: AnySchema): SettingField | undefined {
  const s = unwrap(schema);
  const def = defOf(s);
  const text = settingTexts[name] ?? { group: 'rules' as const, label: name, help: '' };
  const base = { name, label: text.label, help: text.help, group: text.group, ...(text.unit ? { unit: text.unit } : {}) };
  switch (def.type) {
    case 'number':
      return { ...base, kind: 'number', ...numberLimits(s) };
    case 'boolean':
      return { ...base, kind: 'checkbox' };
    case 'enum':
      return { ...base, kind: 'choice', choices: Object.values(def.entries ?? {}).map((value) => ({ value, label: text.choiceLabels?.[value] ?? value })) };
    case 'array':
      return { ...base, kind: 'lines' };
    default:
      return undefined;
  }
}

/** Every setting as a form field, in the schema's order (nested objects flattened). */
export const settingFields: readonly SettingField[] = (() => {
  const fields: SettingField[] = [];
  const walk = (shape: Record<string, AnySchema>, prefix: string) => {
    for (const [key, schema] of Object.entries(shape)) {
      const s = unwrap(schema);
      const def = defOf(s);
      if (def.type === 'object' && def.shape) walk(def.shape, `${prefix}${key}.`);
      else {
        const field = describe(`${prefix}${key}`, schema);
        if (field) fields.push(field);
      }
    }
  };
  walk(commentSettingsSchema.shape as unknown as Record<string, AnySchema>, '');
  return fields;
})();

/** What the form shows: each field's text as typed (or as stored), checkboxes as 'on' or ''. */
export type SettingsFormValues = Record<string, string>;

function get(settings: CommentSettings, name: string): unknown {
  return name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], settings);
}

function set(target: Record<string, unknown>, name: string, value: unknown): void {
  const keys = name.split('.');
  const last = keys.pop()!;
  let o = target;
  for (const k of keys) o = (o[k] ??= {}) as Record<string, unknown>;
  o[last] = value;
}

/** The stored settings as form values. */
export function settingsFormValues(settings: CommentSettings): SettingsFormValues {
  const values: SettingsFormValues = {};
  for (const f of settingFields) {
    const v = get(settings, f.name);
    values[f.name] = f.kind === 'checkbox' ? (v ? 'on' : '') : f.kind === 'lines' ? ((v as string[] | undefined) ?? []).join('\n') : String(v ?? '');
  }
  return values;
}

/** The posted form's values (absent → '', a checkbox → 'on' or ''), ignoring other fields. */
export function readSettingsForm(body: Record<string, unknown>): SettingsFormValues {
  const values: SettingsFormValues = {};
  for (const f of settingFields) {
    const v = body[f.name];
    if (Array.isArray(v)) throw new ValidationError({ [f.name]: 'This field was sent more than once.' });
    values[f.name] = f.kind === 'checkbox' ? (v ? 'on' : '') : typeof v === 'string' ? v : '';
  }
  return values;
}

const lineCheck: Record<string, (line: string) => string | undefined> = {
  'rules.spamEmails': (line) => (/^[^\s@]+@[^\s@]+$/u.test(line) ? undefined : 'is not an email address, e.g. bot@example.com'),
  'rules.spamDomains': (line) =>
    /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}$/u.test(normaliseDomain(line)) && isIP(normaliseDomain(line)) === 0
      ? undefined
      : 'is not a domain, e.g. example.com',
  'rules.spamIpRanges': (line) => (parseIpRange(line) ? undefined : 'is not an IP address or CIDR range, e.g. 203.0.113.0/24 or 2001:db8::/32'),
};

function parseLines(name: string, text: string, errors: FieldErrors): string[] {
  const lines = [...new Set(text.split(/\r\n?|\n/).map((l) => l.trim().normalize('NFC')).filter((l) => l !== ''))];
  const check = lineCheck[name];
  if (lines.length > listLimits.entries) errors[name] = `Give at most ${listLimits.entries.toLocaleString('en-US')} entries.`;
  for (const [i, line] of lines.entries()) {
    if (errors[name]) break;
    const shown = line.length > 40 ? `${line.slice(0, 40)}…` : line;
    if ([...line].length > listLimits.length) errors[name] = `“${shown}” is longer than ${listLimits.length} characters.`;
    const problem = check?.(line);
    if (problem) errors[name] = `Entry ${i + 1}, “${shown}”, ${problem}.`;
  }
  return name === 'rules.spamDomains' ? lines.map(normaliseDomain) : lines;
}

/**
 * Checks the posted form and returns the settings it asks for: every setting the form has,
 * over `current` (so a setting this form does not know of is kept). Throws ValidationError
 * naming each bad field, with a message a person can act on.
 */
export function parseSettingsForm(values: SettingsFormValues, current: CommentSettings): CommentSettings {
  const errors: FieldErrors = {};
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const f of settingFields) {
    const raw = (values[f.name] ?? '').trim();
    if (f.kind === 'checkbox') set(next, f.name, raw !== '');
    else if (f.kind === 'lines') set(next, f.name, parseLines(f.name, values[f.name] ?? '', errors));
    else if (f.kind === 'choice') {
      if (!f.choices?.some((c) => c.value === raw)) errors[f.name] = `Choose one of: ${f.choices?.map((c) => c.label).join(', ')}.`;
      else set(next, f.name, raw);
    } else {
      const n = /^-?\d{1,9}$/.test(raw) ? Number(raw) : NaN;
      const range = `between ${f.min ?? 0} and ${f.max ?? 'any'}`;
      if (raw === '') errors[f.name] = `Give a whole number ${range}.`;
      else if (!Number.isInteger(n)) errors[f.name] = `“${raw.slice(0, 20)}” is not a whole number; give one ${range}.`;
      else if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) errors[f.name] = `Give a whole number ${range}.`;
      else set(next, f.name, n);
    }
  }
  const rules = next.rules as CommentSettings['rules'];
  if (!errors['rules.holdScore'] && !errors['rules.spamScore'] && rules.holdScore > rules.spamScore) {
    errors['rules.spamScore'] = `The spam score must not be below the hold score (${rules.holdScore}).`;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, 'VALIDATION_FAILED', 'The settings were not saved. Please correct the fields marked below.');
  const parsed = commentSettingsSchema.safeParse(next);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.join('.')] ??= issue.message;
    throw new ValidationError(fieldErrors, 'VALIDATION_FAILED', 'The settings were not saved. Please correct the fields marked below.');
  }
  return parsed.data;
}

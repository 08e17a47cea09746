import type { Kysely } from 'kysely';
import { prepareQuery } from '../../db/prepared.js';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { appendEvent } from '../../platform/outbox.js';
import { recordAudit } from '../audit/index.js';
import { assertCan, type Actor } from '../people/index.js';

/**
 * The site's comment settings and moderation rules, changed by editors at run time in
 * /admin/comments/settings and stored as one JSON row (`settings.comments`). Every field has a
 * safe default, so a new site holds first-time commenters and link-heavy comments from the start.
 */
export const commentSettingsSchema = z.object({
  /** Top-level comments per page; replies always stay with their thread. */
  perPage: z.number().int().min(5).max(500).default(50),
  order: z.enum(['oldest', 'newest']).default('oldest'),
  /** Comments close this many days after publication unless a story says otherwise; 0 never closes. */
  closeAfterDays: z.number().int().min(0).max(3650).default(0),
  /** How long a commenter may edit or delete their comment from the same browser. */
  editWindowMinutes: z.number().int().min(0).max(1440).default(10),
  /** How often moderators get a digest of held comments. */
  digest: z.enum(['off', 'hourly', 'daily']).default('hourly'),
  rules: z
    .object({
      /** Hold a comment when its author has no approved comment yet (WordPress's default). */
      holdFirstTimeCommenters: z.boolean().default(true),
      /** Hold a comment with more links than this. */
      maxLinks: z.number().int().min(0).max(100).default(2),
      /** Words or phrases that hold a comment (case-insensitive, whole words). */
      blockedPhrases: z.array(z.string()).default([]),
      /** Email addresses whose comments go to spam. */
      spamEmails: z.array(z.string()).default([]),
      /** Email domains (and their subdomains) whose comments go to spam. */
      spamDomains: z.array(z.string()).default([]),
      /** IP addresses or CIDR ranges whose comments go to spam. */
      spamIpRanges: z.array(z.string()).default([]),
      /** Content score at which a comment is held, and at which it goes to spam. */
      holdScore: z.number().int().min(1).max(1000).default(5),
      spamScore: z.number().int().min(1).max(1000).default(10),
      /** A form sent sooner than this after the page was loaded is held. */
      minSecondsToSubmit: z.number().int().min(0).max(600).default(3),
      /** Hold a comment whose form carried no signed timestamp (a hand-made post, or a script). */
      holdWithoutFormTimestamp: z.boolean().default(true),
      /** A form older than this is refused with a fresh form (the reader's text kept). */
      formMaxAgeHours: z.number().int().min(1).max(24 * 30).default(72),
    })
    .prefault({}),
});

export type CommentSettings = z.output<typeof commentSettingsSchema>;
export type CommentRules = CommentSettings['rules'];

/** The `settings` row holding them. */
export const commentSettingsKey = 'comments';

export const defaultCommentSettings: CommentSettings = commentSettingsSchema.parse({});

/** The current settings (defaults for anything never set, or a stored value an older version wrote). */
export async function loadCommentSettings(deps: Pick<Deps, 'store'>): Promise<CommentSettings> {
  const row = await settingsQuery.executeTakeFirst(deps.store.db, {});
  return commentSettingsFromText(row?.value);
}

/**
 * The settings a stored row's text holds (undefined: never stored). A comment post reads the row
 * each time (so every node sees a change at once), but it is parsed only when its text changed.
 */
export function commentSettingsFromText(text: string | null | undefined): CommentSettings {
  if (text === undefined || text === null) return defaultCommentSettings;
  if (text === lastParsed.text) return lastParsed.settings;
  const parsed = commentSettingsSchema.safeParse(JSON.parse(text));
  const settings = parsed.success ? parsed.data : defaultCommentSettings;
  lastParsed = { text, settings };
  return settings;
}

const settingsQuery = prepareQuery((db) => db.selectFrom('settings').select('value').where('key', '=', commentSettingsKey));

/** The last stored text parsed, and its settings (treated as immutable by every caller). */
let lastParsed: { text: string; settings: CommentSettings } = { text: '', settings: defaultCommentSettings };

/** Stores the whole settings object (validated by the caller's form schema, and again here). */
export async function saveCommentSettings(deps: Pick<Deps, 'store'>, settings: CommentSettings): Promise<void> {
  await writeCommentSettings(deps.store.db, settings);
}

async function writeCommentSettings(db: Kysely<Database>, settings: CommentSettings): Promise<void> {
  const value = JSON.stringify(commentSettingsSchema.parse(settings));
  await db
    .insertInto('settings')
    .values({ key: commentSettingsKey, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * An editor's change of the comment settings (permission `comment.configure`): stored with an
 * audit entry `comment-settings.changed` naming each changed setting with its old and new value,
 * in one transaction. Returns the names of the changed settings (none: nothing is written).
 */
export async function configureCommentSettings(
  deps: Pick<Deps, 'store' | 'clock' | 'onCommitted'>,
  actor: Actor,
  settings: CommentSettings,
): Promise<string[]> {
  assertCan(actor, 'comment.configure');
  const next = commentSettingsSchema.parse(settings);
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', commentSettingsKey).executeTakeFirst();
    const parsed = row ? commentSettingsSchema.safeParse(JSON.parse(row.value)) : undefined;
    const before = parsed?.success ? parsed.data : defaultCommentSettings;
    const changes = changedSettings(before, next);
    if (changes.length === 0) return { changed: [], events: [] };
    const now = deps.clock.now().toISOString();
    await writeCommentSettings(trx, next);
    await recordAudit(trx, { actor, action: 'comment-settings.changed', subject: { type: 'settings', id: 0 }, details: { changes }, now });
    // Every story page shows them (the form, closing, pages of comments): purged on every node.
    const event = await appendEvent(trx, { topic: 'comment.settings-changed', payload: { settings: changes.map((c) => c.setting) }, now });
    return { changed: changes.map((c) => c.setting), events: [event] };
  });
  deps.onCommitted(result.events);
  return result.changed;
}

/** Each setting (by path, e.g. `rules.maxLinks`) whose value differs, with both values. */
function changedSettings(before: CommentSettings, after: CommentSettings): { setting: string; from: unknown; to: unknown }[] {
  const changes: { setting: string; from: unknown; to: unknown }[] = [];
  const walk = (a: Record<string, unknown>, b: Record<string, unknown>, prefix: string) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [a[key], b[key]];
      if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x)) walk(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${key}.`);
      else if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ setting: `${prefix}${key}`, from: x, to: y });
    }
  };
  walk(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, '');
  return changes;
}

/** When comments on a story close (null: never), from its own setting or the site default. */
export function commentsCloseAt(
  story: { published_at: string | null; comments_close_after_days: number | null },
  settings: Pick<CommentSettings, 'closeAfterDays'>,
): Date | null {
  const days = story.comments_close_after_days ?? settings.closeAfterDays;
  if (days === 0 || story.published_at === null) return null;
  return new Date(Date.parse(story.published_at) + days * 86_400_000);
}

/** True when readers may comment on the story at `now`. */
export function commentsAreOpen(
  story: { comments_open: number; published_at: string | null; comments_close_after_days: number | null },
  settings: Pick<CommentSettings, 'closeAfterDays'>,
  now: Date,
): boolean {
  if (story.comments_open === 0) return false;
  const closeAt = commentsCloseAt(story, settings);
  return closeAt === null || now < closeAt;
}

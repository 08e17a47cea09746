import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { ValidationError } from '../../errors.js';
import { appendEvent } from '../../platform/outbox.js';
import { recordAudit } from '../audit/index.js';
import { assertCan, type Actor } from '../people/index.js';

/**
 * The site's feed settings, changed by editors at run time in /admin/settings/feeds and stored
 * as one JSON row (`settings.feeds`), like the comment settings.
 */
export const feedSettingsSchema = z.object({
  /** `full`: each item carries the story's whole text; `summary`: its dek, or its first paragraph. */
  content: z.enum(['full', 'summary']).default('summary'),
  /** When an editor last changed them (not a setting: a feed's `Last-Modified` is never older). */
  changedAt: z.string().nullable().default(null),
});

export type FeedSettings = z.output<typeof feedSettingsSchema>;

export const defaultFeedSettings: FeedSettings = feedSettingsSchema.parse({});

const settingsKey = 'feeds';

/** The current settings (defaults for anything never set, or for a stored value this version cannot read). */
export async function loadFeedSettings(deps: Pick<Deps, 'store'>): Promise<FeedSettings> {
  const row = await deps.store.db.selectFrom('settings').select('value').where('key', '=', settingsKey).executeTakeFirst();
  return parseStored(row?.value);
}

function parseStored(value: string | undefined): FeedSettings {
  if (value === undefined) return defaultFeedSettings;
  try {
    const parsed = feedSettingsSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : defaultFeedSettings;
  } catch {
    return defaultFeedSettings;
  }
}

/** Reads the admin form (`content=full|summary`); throws a ValidationError naming the field. */
export function parseFeedSettingsForm(body: Record<string, unknown>): FeedSettings {
  const parsed = feedSettingsSchema.safeParse({ content: body.content });
  if (!parsed.success || typeof body.content !== 'string') {
    throw new ValidationError({ content: 'Choose “Full text” or “Summary”.' }, 'VALIDATION_FAILED', 'Choose “Full text” or “Summary”.');
  }
  return parsed.data;
}

/**
 * An editor's change of the feed settings (permission `feed.configure`): stored with an audit
 * entry `feed-settings.changed` naming each changed setting with its old and new value, and a
 * `feed.settings-changed` event that purges every story feed, in one transaction. Returns the
 * names of the changed settings (none: nothing is written).
 */
export async function configureFeedSettings(deps: Pick<Deps, 'store' | 'clock' | 'onCommitted'>, actor: Actor, settings: FeedSettings): Promise<string[]> {
  assertCan(actor, 'feed.configure');
  const wanted = feedSettingsSchema.parse(settings);
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', settingsKey).executeTakeFirst();
    const before = parseStored(row?.value);
    const changes = (Object.keys(wanted) as (keyof FeedSettings)[])
      .filter((key) => key !== 'changedAt' && before[key] !== wanted[key])
      .map((key) => ({ setting: key, from: before[key], to: wanted[key] }));
    if (changes.length === 0) return { changed: [], events: [] };
    const now = deps.clock.now().toISOString();
    const value = JSON.stringify({ ...wanted, changedAt: now });
    await trx
      .insertInto('settings')
      .values({ key: settingsKey, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    await recordAudit(trx, { actor, action: 'feed-settings.changed', subject: { type: 'settings', id: 0 }, details: { changes }, now });
    const event = await appendEvent(trx, { topic: 'feed.settings-changed', payload: { settings: changes.map((c) => c.setting) }, now });
    return { changed: changes.map((c) => c.setting), events: [event] };
  });
  deps.onCommitted(result.events);
  return result.changed;
}

import type { Deps } from '../../src/deps.js';
import {
  defaultCommentSettings,
  saveCommentSettings,
  type CommentRules,
  type CommentSettings,
} from '../../src/modules/comments/comment-settings.js';

/**
 * Sets the site's comment settings for a test: the defaults, changed by `changes` (and
 * `changes.rules` merged into the default rules). Returns what was stored.
 */
export async function useCommentSettings(
  deps: Pick<Deps, 'store'>,
  changes: Partial<Omit<CommentSettings, 'rules'>> & { rules?: Partial<CommentRules> } = {},
): Promise<CommentSettings> {
  const settings: CommentSettings = { ...defaultCommentSettings, ...changes, rules: { ...defaultCommentSettings.rules, ...changes.rules } };
  await saveCommentSettings(deps, settings);
  return settings;
}

/** Rules that let every well-formed comment through (for tests about something other than moderation). */
export const openDoorRules: Partial<CommentRules> = { holdFirstTimeCommenters: false, maxLinks: 100, minSecondsToSubmit: 0, holdWithoutFormTimestamp: false };

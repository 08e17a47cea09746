import type { ModerationRule } from './moderation.types.js';

/** Holds every comment on a story an editor set to "pre-moderate all comments". */
export const premoderatedStory: ModerationRule = (input) =>
  input.storyPremoderated
    ? [{ rule: 'premoderated-story', verdict: 'hold', detail: 'Every comment on this story is held for a moderator (story setting).' }]
    : [];

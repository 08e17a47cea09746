import type { ModerationRule } from './moderation.types.js';

/**
 * How long the form was open before it was sent, from its signed timestamp: sent sooner than
 * `minSecondsToSubmit` after the page was loaded (a script, not a person typing) holds the
 * comment; a form without a timestamp (an old cached page, a hand-made post) holds it too unless
 * `holdWithoutFormTimestamp` is off. A forged or expired timestamp never gets here: the route and
 * submitComment refuse it with a fresh form.
 */
export const formAge: ModerationRule = ({ formAgeSeconds, rules }) => {
  if (formAgeSeconds === null) {
    return rules.holdWithoutFormTimestamp
      ? [{ rule: 'form-age', verdict: 'hold', detail: 'The form carried no signed timestamp, so how long it was open is unknown.' }]
      : [];
  }
  if (formAgeSeconds < rules.minSecondsToSubmit) {
    return [
      {
        rule: 'form-age',
        verdict: 'hold',
        detail: `Sent ${formAgeSeconds} s after the form was loaded; a person needs at least ${rules.minSecondsToSubmit} s.`,
      },
    ];
  }
  return [];
};

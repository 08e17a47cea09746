/** Events the stories module writes to the outbox. Payloads carry ids only. */
export interface StoryEvents {
  'story.saved': { storyId: number };
}

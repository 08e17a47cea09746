/** Events the feeds module writes to the outbox. Payloads carry names, not objects. */
export interface FeedEvents {
  /** An editor changed the feed settings (names of the changed settings): every story feed goes. */
  'feed.settings-changed': { settings: string[] };
}

import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely table types. Times are ISO-8601 UTC strings on both databases
 * (TEXT on SQLite, timestamptz on PostgreSQL read back as ISO strings).
 * A change here needs a migration in ./migrations and an updated schema fingerprint.
 */
export interface Database {
  settings: SettingsTable;
  people: PeopleTable;
  stories: StoriesTable;
  story_authors: StoryAuthorsTable;
  story_sources: StorySourcesTable;
  comments: CommentsTable;
  outbox: OutboxTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  sections: SectionsTable;
  tags: TagsTable;
  story_tags: StoryTagsTable;
  story_slugs: StorySlugsTable;
  story_revisions: StoryRevisionsTable;
  corrections: CorrectionsTable;
  audit_log: AuditLogTable;
  media: MediaTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  comment_history: CommentHistoryTable;
  comment_reports: CommentReportsTable;
  subscriber_addresses: SubscriberAddressesTable;
  comment_subscriptions: CommentSubscriptionsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  story_search: StorySearchTable;
}

/**
 * One row per published story for full-text search (plain text, control characters removed), kept
 * in step through the outbox (src/jobs/reindex-search.ts). The engine's index over it (FTS5 table
 * `story_search_fts` on SQLite, the generated `document` tsvector on PostgreSQL) is reached only
 * from src/modules/search/search.repo.ts.
 */
export interface StorySearchTable {
  story_id: number;
  section_id: number | null;
  published_at: string;
  headline: string;
  dek: string;
  body: string;
  /** The story's tag names, space-separated. */
  tags: string;
}

/** What happened to a comment, by whom, when: the trail moderators see. `details` is JSON. */
export interface CommentHistoryTable {
  id: Generated<number>;
  comment_id: number;
  /** created | edited | reported | approved | spammed | trashed | restored | deleted | erased | anonymised | replied */
  action: string;
  actor_id: number | null;
  /** The staff member's name, "Commenter", or "System" (rules, retention). */
  actor_name: string;
  details: string;
  created_at: string;
}

/** A reader's report of a comment; open until a moderator acts on the comment. */
export interface CommentReportsTable {
  id: Generated<number>;
  comment_id: number;
  /** spam | abuse | off-topic | other */
  reason: string;
  note: string | null;
  /** Salted hash of the reporter's IP (for rate limits and one report per reader). */
  reporter_key: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: number | null;
}

/** An address that asked for reply notifications: mailed nothing but one confirmation until confirmed. */
export interface SubscriberAddressesTable {
  /** emailKey(salt, email): see src/lib/email-key.ts. */
  email_key: string;
  email: string;
  created_at: string;
  confirm_sent_at: string | null;
  confirmed_at: string | null;
  /** Set by "never email me again": no mail of any kind goes to the address. */
  suppressed_at: string | null;
}

/** "Notify me of follow-up comments by email" for one story. */
export interface CommentSubscriptionsTable {
  id: Generated<number>;
  email_key: string;
  story_id: number;
  created_at: string;
  unsubscribed_at: string | null;
}

/** Outgoing webhooks for comment events, signed with HMAC-SHA256 of the body with `secret`. */
export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  description: string;
  secret: string;
  /** JSON array of event names, e.g. ["comment.created", "comment.held"]. */
  events: string;
  active: Generated<number>;
  created_by: number | null;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  outbox_id: number;
  event: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: string;
}

/** One-use password reset links; only the token's hash is stored. */
export interface PasswordResetsTable {
  id: Generated<number>;
  person_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface MediaVariant {
  width: number;
  height: number;
  path: string;
  bytes: number;
}

/** Uploaded images; files live under the media folder (READOUT_MEDIA_DIR, default data/media). */
export interface MediaTable {
  id: Generated<number>;
  content_type: string;
  path: string;
  width: number;
  height: number;
  bytes: number;
  /** JSON of MediaVariant[]. */
  variants: string;
  alt: string;
  uploaded_by: number | null;
  created_at: string;
}

/** Personal API tokens for /api/; only a hash is stored. */
export interface ApiTokensTable {
  id: Generated<number>;
  person_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SectionsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  description: string | null;
  created_at: string;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  created_at: string;
}

export interface StoryTagsTable {
  story_id: number;
  tag_id: number;
  position: number;
}

/** Slugs a story had before; each answers with a 301 to the story's current URL. */
export interface StorySlugsTable {
  slug: string;
  story_id: number;
  created_at: string;
}

/** One row per save of a story: a JSON snapshot of its editable fields. */
export interface StoryRevisionsTable {
  id: Generated<number>;
  story_id: number;
  /** 1, 2, 3… per story. */
  number: number;
  snapshot: string;
  author_id: number | null;
  note: string | null;
  created_at: string;
}

export type CorrectionKind = 'correction' | 'clarification';

/** Corrections and clarifications appended to published stories; never deleted, only marked removed by an admin. */
export interface CorrectionsTable {
  id: Generated<number>;
  story_id: number;
  kind: CorrectionKind;
  body_source: string;
  body_html: string;
  author_id: number | null;
  created_at: string;
  removed_at: string | null;
  removed_by: number | null;
  removal_reason: string | null;
}

/** Who did what to which thing, for admins. */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  actor_name: string;
  action: string;
  subject_type: string;
  subject_id: number;
  details: string;
  created_at: string;
}

/** Side effects written in the same transaction as the change that causes them (DESIGN.md §3). */
export interface OutboxTable {
  id: Generated<number>;
  /** Event name, `noun.past-tense`, e.g. `comment.created`. */
  topic: string;
  /** JSON object with ids, never whole rows. */
  payload: string;
  created_at: string;
  /** Set when the relay finished the row's side effect (rows without one stay null). */
  handled_at: string | null;
  attempts: Generated<number>;
  /** Not before this time (back-off after a failure, or a claim by a worker). */
  next_attempt_at: string | null;
  last_error: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export type Role = 'admin' | 'editor' | 'author' | 'moderator';

/** Bylined people and staff accounts. A person without a role cannot sign in. */
export interface PeopleTable {
  id: Generated<number>;
  name: string;
  slug: string;
  bio: string | null;
  created_at: string;
  /** Sign-in address, stored lower-case; null for a byline without an account. */
  email: string | null;
  role: Role | null;
  /** argon2id hash (PHC string); null when no password was ever set. */
  password_hash: string | null;
  /** 1 when the next sign-in must set a new password (first admin, reset by an admin). */
  must_change_password: Generated<number>;
  disabled_at: string | null;
}

/** Server-side sessions: the cookie holds a random token; the id is its SHA-256, so a database leak reveals no usable token. */
export interface SessionsTable {
  id: string;
  person_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip_hash: string;
  user_agent: string;
}

/** Failed sign-ins, keyed `account:EMAIL` or `ip:HASH`, for throttling. */
export interface SignInAttemptsTable {
  key: string;
  attempted_at: string;
}

export type StoryStatus = 'draft' | 'scheduled' | 'published' | 'unpublished';

export interface StoriesTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  dek: string | null;
  byline: string;
  dateline: string | null;
  body_source: string;
  body_html: string;
  status: StoryStatus;
  published_at: string | null;
  /** Time of the last substantive update shown to readers as "Updated …"; null when never updated. */
  updated_at: string | null;
  related_story_id: number | null;
  created_at: string;
  /** Time of the last write of any kind (for caches and feeds). */
  modified_at: string;
  section_id: number | null;
  /** The staff member who created the story (authors may edit their own drafts); null for imports. */
  created_by: number | null;
  featured_media_id: number | null;
  /** 0 when an editor closed comments. */
  comments_open: Generated<number>;
  /** 1 when every comment is held for a moderator. */
  comments_premoderated: Generated<number>;
  /** Comments close this many days after publication; null takes the site default, 0 never closes. */
  comments_close_after_days: number | null;
  /** The last thread number given on this story (see comments.thread_seq). */
  comment_threads: Generated<number>;
}

export interface StoryAuthorsTable {
  story_id: number;
  person_id: number;
  position: number;
}

export interface StorySourcesTable {
  id: Generated<number>;
  story_id: number;
  position: number;
  title: string;
  outlet: string | null;
  url: string;
  /** Date of the source as YYYY-MM-DD, when known. */
  published_on: string | null;
}

/** `deleted`: removed by its author; shown as a placeholder while it has visible replies. */
export type CommentStatus = 'pending' | 'approved' | 'spam' | 'trash' | 'deleted';

/** One rule's finding, stored with the comment (JSON array in `moderation_reasons`). */
export interface ModerationReason {
  /** The rule's name, e.g. `first-time-commenter`, `too-many-links`. */
  rule: string;
  /** What the rule asked for: hold for a moderator, or straight to spam. `note` changes nothing. */
  verdict: 'hold' | 'spam' | 'note';
  /** Reader-independent explanation for moderators. */
  detail: string;
  /** Points added to the spam score. */
  score?: number;
}

export interface CommentsTable {
  id: Generated<number>;
  story_id: number;
  parent_id: number | null;
  /** Id of the top-level comment of the thread; null for a top-level comment itself. */
  root_id: number | null;
  /** 1 for a top-level comment, parent's depth + 1 for a reply. */
  depth: number;
  status: CommentStatus;
  author_name: string;
  author_email: string;
  author_url: string | null;
  body_source: string;
  body_html: string;
  created_at: ColumnType<string, string, never>;
  /** HMAC-SHA256 of the client IP with the site's secret salt; the IP itself is never stored. Null after the retention window. */
  ip_hash: string | null;
  user_agent: string;
  /** emailKey(salt, email): links a commenter's comments without the address; seeds the local avatar. */
  email_key: Generated<string>;
  link_count: Generated<number>;
  spam_score: Generated<number>;
  /** JSON array of ModerationReason. */
  moderation_reasons: Generated<string>;
  edited_at: string | null;
  moderated_at: string | null;
  moderated_by: number | null;
  /** SHA-256 of the posting browser's key (cookie): lets that browser see, edit and delete its comment. */
  owner_key_hash: string | null;
  /** Set when a staff member replied as the newsroom. */
  staff_person_id: number | null;
  /** Hash of the text with whitespace folded, for the duplicate check ('' on comments older than migration 0009). */
  body_fingerprint: Generated<string>;
  /** A thread's place in its story (1, 2, 3…), given to its first comment when first approved; null otherwise. */
  thread_seq: number | null;
}

export type StoryRow = Selectable<StoriesTable>;
export type NewStoryRow = Insertable<StoriesTable>;
export type StoryUpdate = Updateable<StoriesTable>;
export type SourceRow = Selectable<StorySourcesTable>;
export type PersonRow = Selectable<PeopleTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewCommentRow = Insertable<CommentsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type SessionRow = Selectable<SessionsTable>;
export type SectionRow = Selectable<SectionsTable>;
export type TagRow = Selectable<TagsTable>;
export type RevisionRow = Selectable<StoryRevisionsTable>;
export type CorrectionRow = Selectable<CorrectionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type MediaRow = Selectable<MediaTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type CommentHistoryRow = Selectable<CommentHistoryTable>;
export type CommentReportRow = Selectable<CommentReportsTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

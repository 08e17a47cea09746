import type { Deps } from '../../deps.js';
import type { CorrectionKind, CorrectionRow } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { renderStoryMarkdown } from '../../lib/markdown.js';
import { appendEvent } from '../../platform/outbox.js';
import { recordAudit } from '../audit/index.js';
import { assertCan, type Actor } from '../people/index.js';
import { findPublishedStory } from '../stories/index.js';
import * as repo from './corrections.repo.js';
import { parseCorrectionForm, parseRemovalReason } from './corrections.schemas.js';
import { pageOf, pageWindow } from '../../lib/paging.js';

export interface AppendCorrectionInput {
  storyId: number;
  kind: CorrectionKind;
  /** Markdown, rendered with the story renderer when it is stored. */
  text: string;
}

/**
 * Appends a correction or clarification to a published story (editors and admins). It is shown
 * on the story, dated, from then on; the row, its audit entry and its outbox event are written in
 * one transaction.
 */
export async function appendCorrection(deps: Deps, actor: Actor, input: AppendCorrectionInput): Promise<CorrectionRow> {
  assertCan(actor, 'story.correct');
  const form = parseCorrectionForm(input);
  const story = await findPublishedStory(deps, input.storyId);
  if (!story) {
    const exists = await repo.findCorrectionStory(deps.store.db, input.storyId);
    if (!exists) throw new DomainError('STORY_NOT_FOUND', 'There is no story with this id.');
    throw new DomainError('CORRECTION_STORY_NOT_PUBLISHED', 'Only a published story can be corrected; edit a draft or scheduled story instead.');
  }
  const now = deps.clock.now().toISOString();
  const bodyHtml = renderStoryMarkdown(form.text);
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const correction = await repo.insertCorrection(trx, {
      story_id: story.id,
      kind: form.kind,
      body_source: form.text,
      body_html: bodyHtml,
      author_id: personIdOf(actor),
      created_at: now,
    });
    await recordAudit(trx, {
      actor,
      action: 'correction.appended',
      subject: { type: 'correction', id: correction.id },
      details: { storyId: story.id, kind: form.kind },
      now,
    });
    const event = await appendEvent(trx, { topic: 'correction.appended', payload: { correctionId: correction.id, storyId: story.id }, now });
    return { correction, event };
  });
  deps.onCommitted([result.event]);
  return result.correction;
}

/**
 * Removes a correction from public view (admins only, with a reason). The row is never deleted:
 * it keeps its text and gains the time, the admin and the reason; the audit log records it too.
 */
export async function removeCorrection(deps: Deps, actor: Actor, input: { correctionId: number; reason: string }): Promise<CorrectionRow> {
  assertCan(actor, 'correction.remove');
  const reason = parseRemovalReason(input.reason);
  const now = deps.clock.now().toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const existing = await repo.findCorrection(trx, input.correctionId);
    if (!existing) throw new DomainError('CORRECTION_NOT_FOUND', 'There is no correction with this id.');
    const removed = await repo.updateCorrectionRemoved(trx, existing.id, { removed_at: now, removed_by: personIdOf(actor), removal_reason: reason });
    if (!removed) throw new DomainError('CORRECTION_ALREADY_REMOVED', 'This correction was removed already; its first removal and reason are kept.');
    await recordAudit(trx, {
      actor,
      action: 'correction.removed',
      subject: { type: 'correction', id: removed.id },
      details: { storyId: removed.story_id, reason },
      now,
    });
    const event = await appendEvent(trx, { topic: 'correction.removed', payload: { correctionId: removed.id, storyId: removed.story_id }, now });
    return { removed, event };
  });
  deps.onCommitted([result.event]);
  return result.removed;
}

/** The corrections a story page shows (not removed), newest first. */
export function listStoryCorrections(deps: Deps, storyId: number): Promise<repo.PublicCorrection[]> {
  return repo.listStoryCorrections(deps.store.db, storyId);
}

export interface CorrectionsPage {
  corrections: repo.ListedCorrection[];
  page: number;
  hasNext: boolean;
}

export const correctionsPageSize = 50;

/** One page of the site-wide corrections list: every correction shown on a published story, newest first. */
export async function listCorrectionsPage(deps: Deps, page: number): Promise<CorrectionsPage> {
  const rows = await repo.listPublishedCorrections(deps.store.db, { now: deps.clock.now().toISOString(), ...pageWindow(page, correctionsPageSize) });
  const { items, hasNext } = pageOf(rows, correctionsPageSize);
  return { corrections: items, page, hasNext };
}

export interface CorrectionsDesk {
  story: repo.CorrectionStory;
  /** True when the story may be corrected now (published and visible). */
  correctable: boolean;
  corrections: repo.StaffCorrection[];
}

/** A story and all its corrections, removed ones included, for staff who may correct stories. */
export async function getCorrectionsDesk(deps: Deps, actor: Actor, which: { storyId: number } | { correctionId: number }): Promise<CorrectionsDesk> {
  assertCan(actor, 'story.correct');
  const db = deps.store.db;
  let storyId: number;
  if ('storyId' in which) storyId = which.storyId;
  else {
    const correction = await repo.findCorrection(db, which.correctionId);
    if (!correction) throw new DomainError('CORRECTION_NOT_FOUND', 'There is no correction with this id.');
    storyId = correction.story_id;
  }
  const [story, published, corrections] = await Promise.all([
    repo.findCorrectionStory(db, storyId),
    findPublishedStory(deps, storyId),
    repo.listStaffCorrections(db, storyId),
  ]);
  if (!story) throw new DomainError('STORY_NOT_FOUND', 'There is no story with this id.');
  return { story, correctable: published !== undefined, corrections };
}

/** The command-line actor has no person row. */
function personIdOf(actor: Actor): number | null {
  return actor.personId === 0 ? null : actor.personId;
}

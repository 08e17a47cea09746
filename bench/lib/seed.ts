import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../../src/boot.js';
import { loadConfig } from '../../src/config/config.js';
import type { Clock } from '../../src/deps.js';
import { createLogger } from '../../src/platform/logger.js';
import { sampleContentDir } from '../../src/platform/paths.js';
import { buildComment } from '../../test/builders/comments.js';
import { buildStory } from '../../test/builders/stories.js';
import { openDoorRules, useCommentSettings } from '../../test/harness/comment-settings.js';
import { random } from './random.js';

export interface SeededStory {
  storyId: number;
  slug: string;
  comments: number;
  /** Ids of seeded comments that POSTed replies may answer. */
  replyTargets: number[];
}

/** A clock that stands still until moved, so both databases get the same timestamps (and pages). */
class ManualClock implements Clock {
  constructor(public time: number) {}
  now(): Date {
    return new Date(this.time);
  }
}


const sentences = [
  'The readout says the call was constructive, but it does not say who asked for it.',
  'I take the ferry every morning and the delays have already started.',
  'Would be good to see the union’s own statement rather than a radio station’s summary.',
  'My father worked the night shift at the container terminal for thirty years.',
  'The overtime ban is the symptom; the staffing plan is the actual dispute.',
  'Nobody in this thread has mentioned the council vote in March.',
  'Talks “without preconditions” usually means both sides have preconditions.',
  'Good reporting — thanks for linking the original documents.',
  'The fares went up twice last year and the timetable only got worse.',
  'If the weekend sailings are halved, the island shops will feel it first.',
];
const extras = [
  '\n\nSource: [the authority’s readout](https://example.org/harbour-authority/readout-2026-11-26).',
  '\n\n> We agreed to talk. We did not agree to anything else.\n\nThat line says it all.',
  ' *Really* hope they sort it out before the holidays.',
  '\n\n- fewer crossings\n- longer queues\n- no refunds for monthly passes',
  '',
  '',
];
const names = ['Marta K.', 'harbourwatcher', 'Jon Ellis', 'Priya', 'D. Okafor', 'Lena from the island', 'Sam', 'R. Lindgren'];

/**
 * A fresh story (the sample story's text, with its related story and sources) and `count` approved
 * comments, about a quarter of them threaded replies, saved through the domain services.
 */
export async function seedStory(databaseUrl: string, count: number): Promise<SeededStory> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, PUBLIC_URL: 'http://127.0.0.1', READOUT_LOG_LEVEL: 'silent' });
  // Start a month back at midnight UTC: published in the past whatever the machine's date, same for every database.
  const start = Math.floor((Date.now() - 30 * 86_400_000) / 86_400_000) * 86_400_000;
  const clock = new ManualClock(start);
  const runtime = await boot(config, { log: createLogger('silent'), clock, seed: false });
  try {
    const deps = runtime.deps;
    // Seeded and benchmarked comments are all approved at once (the server reads these per post);
    // the spam lists and content score still run on every post.
    await useCommentSettings(deps, { rules: openDoorRules });
    const sample = fs.readFileSync(path.join(sampleContentDir, '02-harbour-talks.md'), 'utf8');
    const body = sample.split(/^---$/m).slice(2).join('---').trim() + '\n';
    const published = new Date(start).toISOString();
    const related = await buildStory(deps, {
      headline: 'Ferry operators warn of weekend delays as harbour talks continue',
      slug: 'ferry-operators-warn-of-weekend-delays',
      byline: 'By Tomas Varga',
      published,
    });
    const story = await buildStory(deps, {
      headline: 'Harbour authority and dockworkers agree to resume talks, according to a readout of the call',
      slug: 'harbour-talks-resume',
      dek: 'Both sides describe the two-hour call as "constructive", but neither says when the overtime ban will end.',
      byline: 'By Amina Castell and Tomas Varga',
      dateline: 'PORT ELLIS',
      published,
      related: related.slug,
      sources: [
        { title: 'Readout of the call', outlet: 'Port Ellis Harbour Authority', url: 'https://example.org/harbour-authority/readout', date: '2026-11-26' },
        { title: 'Union statement on the overtime ban', outlet: 'United Dockworkers Local 14', url: 'https://example.org/local14/statement' },
      ],
      body,
    });

    const rand = random(20261127);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const seeded: { id: number; depth: number }[] = [];
    const said = new Set<string>();
    for (let i = 0; i < count; i++) {
      clock.time += 60_000 + Math.floor(rand() * 600_000);
      const candidates = seeded.filter((c) => c.depth < 4);
      const parent = i >= 5 && rand() < 0.3 ? pick(candidates.slice(-40)) : undefined;
      const name = pick(names);
      // Never the same text twice from one name: that would be refused as a duplicate comment.
      let text: string;
      do text = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(sentences)).join(' ') + pick(extras);
      while (said.has(`${name}\u0000${text}`));
      said.add(`${name}\u0000${text}`);
      const comment = await buildComment(deps, {
        storyId: story.id,
        parentId: parent?.id ?? 0,
        comment: text,
        author: name,
        email: `${name.replace(/[^a-z]/gi, '').toLowerCase() || 'reader'}@example.org`,
        url: rand() < 0.2 ? 'https://example.org/~reader' : '',
        ip: `192.0.2.${1 + (i % 200)}`,
      });
      seeded.push({ id: comment.id, depth: comment.depth });
    }
    return {
      storyId: story.id,
      slug: story.slug,
      comments: seeded.length,
      replyTargets: seeded.filter((c) => c.depth < 3).map((c) => c.id),
    };
  } finally {
    await runtime.close();
  }
}

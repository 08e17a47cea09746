import { stringify } from 'yaml';
import type { Deps } from '../../src/deps.js';
import { importStory } from '../../src/modules/stories/index.js';

let counter = 0;

export interface StoryFields {
  headline?: string;
  slug?: string;
  dek?: string;
  byline?: string;
  dateline?: string;
  published?: string;
  status?: 'draft' | 'published';
  related?: string;
  /** Names of the people behind the byline (front matter `authors`). */
  authors?: string[];
  section?: string;
  tags?: string[];
  sources?: { title: string; outlet?: string; url: string; date?: string }[];
  body?: string;
}

/** A story file (front matter + Markdown) with sensible defaults. */
export function storyFile(fields: StoryFields = {}): string {
  counter++;
  const { body = `"It was a long day," said a spokesperson, according to a statement.\n`, ...front } = fields;
  const data = {
    headline: `Story number ${counter}`,
    byline: 'By Test Reporter',
    published: '2026-11-26T12:00:00Z',
    ...front,
  };
  return `---\n${stringify(data)}---\n${body}`;
}

/** Saves a published story through the domain service and returns it. */
export async function buildStory(deps: Deps, fields: StoryFields = {}) {
  const { story } = await importStory(deps, storyFile(fields));
  return story;
}

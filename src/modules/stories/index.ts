export type { StoryListItem, StoryRef } from './stories.repo.js';
export { countStories, findPublishedStory, frontPageSize, getPublishedStory, getPublishedStoryRow, getStoryPageOf, importStory, listFrontPage } from './stories.service.js';
export type { FrontPage, ImportResult, StoryPage } from './stories.service.js';
export { storyPath } from './stories.paths.js';
export { findLatestStoryChange, listFeedStories } from './feed.service.js';
export type { FeedStory } from './feed.service.js';
export {
  findLastListChange,
  findLastWindowExit,
  findNextStoryPublication,
  listNewsSitemapStories,
  listStorySitemapFiles,
  listStorySitemapUrls,
} from './sitemap.service.js';
export type { NewsSitemapStory } from './sitemap.service.js';
export { parseStoryForm } from './editing.schemas.js';
export type { StoryDraft, StoryFormInput } from './editing.schemas.js';
export {
  diffRevisions,
  findRedirectForSlug,
  getStoryForEditing,
  listStoriesForAdmin,
  listStoryRevisions,
  mayEdit,
  publishDueStories,
  restoreRevision,
  saveStory,
} from './editing.service.js';
export type { RevisionDiff, SaveStoryInput, StoryAction } from './editing.service.js';

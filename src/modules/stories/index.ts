export type { StoryListItem, StoryRef } from './stories.repo.js';
export { countStories, findPublishedStory, frontPageSize, getPublishedStory, importStory, listFrontPage } from './stories.service.js';
export type { FrontPage, ImportResult, StoryPage } from './stories.service.js';
export { storyPath } from './stories.paths.js';
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

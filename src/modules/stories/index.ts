export type { StoryListItem } from './stories.repo.js';
export { countStories, findPublishedStory, frontPageSize, getPublishedStory, importStory, listFrontPage } from './stories.service.js';
export type { FrontPage, ImportResult, StoryPage } from './stories.service.js';
export { storyPath } from './stories.paths.js';

export { configureFeedSettings, defaultFeedSettings, loadFeedSettings, parseFeedSettingsForm } from './feed-settings.js';
export type { FeedSettings } from './feed-settings.js';
export { feedContentTypes, feedFiles } from './feeds.model.js';
export type { FeedDocument, FeedFormat, FeedItem } from './feeds.model.js';
export { feedBasePath, feedLinks, feedPath, feedUrls, siteFeedLinks } from './feeds.paths.js';
export type { FeedSubject } from './feeds.paths.js';
export { buildFeed, feedLength, tagUri } from './feeds.service.js';
export type { BuiltFeed, FeedSite } from './feeds.service.js';
export { renderFeed } from './feed-render.js';

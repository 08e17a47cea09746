export { markedToHtml } from './search.highlight.js';
export { maxQueryLength, parseSearchQuery } from './search.query.js';
export type { ParsedQuery, SearchTerms } from './search.query.js';
export { indexStory, listSearchSections, maxSearchPage, rebuildSearchIndex, searchPageSize, searchStories, searchWindow } from './search.service.js';
export type { SearchHit, SearchRequest, SearchResults } from './search.service.js';

export type { Author, Section, Tag } from './taxonomy.repo.js';
export { normalizeName, tagNamesSchema, taxonomyLimits, taxonomyNameSchema, taxonomySlug } from './taxonomy.names.js';
export { authorPath, listingCacheKeys, pagedPath, sectionPath, tagPath } from './taxonomy.paths.js';
export { listSubjectSitemapFiles, listSubjectSitemapUrls } from './sitemap.service.js';
export type { SitemapSubject } from './sitemap.service.js';
export {
  getAuthorListing,
  getSectionListing,
  getStoryTaxonomy,
  getTagListing,
  listingPageSize,
  listSections,
  listTags,
  setStorySection,
  setStoryTags,
  setStoryTaxonomy,
} from './taxonomy.service.js';
export type { StoryListing, StoryTaxonomy } from './taxonomy.service.js';

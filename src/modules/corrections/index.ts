export type { ListedCorrection, PublicCorrection, StaffCorrection } from './corrections.repo.js';
export { registerCorrectionRoutes } from './corrections.routes.js';
export { correctionKinds, correctionLimits, parseCorrectionForm, parseRemovalReason } from './corrections.schemas.js';
export type { CorrectionForm } from './corrections.schemas.js';
export {
  appendCorrection,
  correctionsPageSize,
  getCorrectionsDesk,
  listCorrectionsPage,
  listStoryCorrections,
  removeCorrection,
} from './corrections.service.js';
export type { AppendCorrectionInput, CorrectionsDesk, CorrectionsPage } from './corrections.service.js';
export { correctionsHeading, renderCorrectionsBox, renderCorrectionsPage, renderCorrectionsDesk } from './corrections.views.js';

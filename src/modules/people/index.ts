export { minPasswordLength } from './passwords.js';
export { assertCan, can, permissions, roles } from './people.policy.js';
export type { Action, Actor } from './people.policy.js';
export {
  commandLineActor,
  createStaffMember,
  ensureFirstAdmin,
  inviteStaffMember,
  listStaff,
  resetPassword,
  setDisabled,
  setRole,
} from './people.service.js';
export type { NewStaffMember } from './people.service.js';
export { changePassword, csrfTokenMatches, resolveSession, signIn, signInThrottle, signOut, signOutEverywhere } from './sessions.service.js';
export type { ActiveSession, SignedIn } from './sessions.service.js';
export { apiTokenRules, createApiToken, listApiTokens, resolveApiToken, revokeApiToken } from './tokens.service.js';
export type { NewApiToken } from './tokens.service.js';
export type { ApiTokenSummary } from './tokens.repo.js';
export { requestPasswordReset, resetPasswordWithToken } from './password-reset.service.js';

export { minPasswordLength } from './passwords.js';
export { assertCan, can, permissions, roles } from './people.policy.js';
export type { Action, Actor } from './people.policy.js';
export { commandLineActor, createStaffMember, ensureFirstAdmin, listStaff, resetPassword, setRole } from './people.service.js';
export type { NewStaffMember } from './people.service.js';
export { changePassword, csrfTokenMatches, resolveSession, signIn, signInThrottle, signOut, signOutEverywhere } from './sessions.service.js';
export type { ActiveSession, SignedIn } from './sessions.service.js';

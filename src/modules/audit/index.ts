export { listAudit, recordAudit } from './audit.service.js';
export type { AuditEntry } from './audit.service.js';

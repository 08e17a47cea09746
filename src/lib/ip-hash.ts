import { createHmac } from 'node:crypto';

/** Keyed hash of an IP address: lets moderators and throttles match repeat visitors without keeping the address. */
export function hashIp(salt: string, ip: string): string {
  return createHmac('sha256', salt).update(ip).digest('base64url');
}

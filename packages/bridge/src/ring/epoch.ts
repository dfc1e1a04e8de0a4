import { randomBytes } from 'node:crypto';

/** A new epoch id: 12 random bytes, base64url (16 characters). */
export function newEpoch(): string {
  return randomBytes(12).toString('base64url');
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device and edge secrets are 256-bit random tokens issued by the platform, never chosen by people,
 * so a single SHA-256 is enough to store them: stretching (scrypt, argon2) protects low-entropy
 * passwords and would cost ~50 ms of CPU for each of hundreds of devices reconnecting after a power cut.
 * See docs/decisions/0003-device-credentials.md.
 */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** Constant-time check of a presented secret against a stored hash. */
export function verifySecret(secret: string | Buffer | undefined, stored: string): boolean {
  if (secret === undefined || !stored.startsWith('sha256:')) return false;
  const presented = Buffer.from(hashSecret(typeof secret === 'string' ? secret : secret.toString('utf8')));
  const expected = Buffer.from(stored);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

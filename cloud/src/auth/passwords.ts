import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (RFC 7914), as OWASP's Password Storage Cheat Sheet recommends when argon2id
 * is not at hand: Node has scrypt built in, so no native module to compile. Stored as
 * `scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64>`, so the cost can be raised later and old hashes still
 * verify (and are re-hashed at the next sign-in, see `needsRehash`).
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  r: number;
  p: number;
}

/**
 * OWASP's minimum for scrypt: N = 2^17, r = 8, p = 1 (128 MiB, about 0.3–0.5 s on a 2-core server). Only
 * the cloud hashes passwords; a village box never does.
 */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

export function scrypt(password: string | Buffer, salt: Buffer, params: ScryptParams, keyLength = KEY_LENGTH) {
  const N = 2 ** params.logN;
  return new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keyLength, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, params);
  return ['scrypt', params.logN, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 22) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  // An empty key would compare equal to an empty key: a truncated hash must never verify.
  if (salt.length < 8 || key.length < 16) return undefined;
  return { params: { logN, r, p }, salt, key };
}

/** Constant-time check of a password against a stored hash; false for anything unreadable. */
export async function verifyPassword(
  password: string,
  stored: string | null | undefined,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<boolean> {
  const h = stored ? parse(stored) : undefined;
  if (!h) {
    // Spend the same time as a real check, so a missing account cannot be told from a wrong password.
    await scrypt(password, randomBytes(16), params);
    return false;
  }
  const key = await scrypt(password.normalize('NFKC'), h.salt, h.params, h.key.length);
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** True when a stored hash is weaker than the current parameters (re-hash it after a successful sign-in). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const h = parse(stored);
  return !h || h.params.logN < params.logN || h.params.r < params.r || h.params.p < params.p;
}

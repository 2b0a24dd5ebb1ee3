import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Access tokens: short-lived (15 min), stateless, HMAC-SHA256 signed (`lb1.<payload>.<mac>`, base64url), so
 * each request is checked without a database round trip. Refresh tokens and API tokens are random
 * 256-bit values stored only as SHA-256 hashes (decision 0003: they are high-entropy, a slow hash adds nothing).
 */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id: revoking the session ends the refresh, and the access token within its lifetime. */
  sid: string;
  /** Issued at / expires, epoch seconds. */
  iat: number;
  exp: number;
}

const PREFIX = 'lb1';

export class TokenSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the token key must be at least 32 bytes');
  }

  sign(claims: AccessClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${PREFIX}.${payload}.${this.#mac(payload)}`;
  }

  /** The claims of a valid, unexpired token; undefined for anything else. */
  verify(token: string, nowSeconds: number): AccessClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
    const mac = Buffer.from(parts[2]!, 'base64url');
    const expected = Buffer.from(this.#mac(parts[1]!), 'base64url');
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    try {
      const c = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as AccessClaims;
      if (typeof c.sub !== 'string' || typeof c.sid !== 'string' || typeof c.exp !== 'number') return undefined;
      return c.exp > nowSeconds ? c : undefined;
    } catch {
      return undefined;
    }
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.key).update(`${PREFIX}.${payload}`).digest('base64url');
  }
}

/** A random opaque token with a recognisable prefix (`lbr_` refresh, `lbt_` API token, `lbp_` provisioning). */
export function opaqueToken(prefix: 'lbr' | 'lbt' | 'lbp'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

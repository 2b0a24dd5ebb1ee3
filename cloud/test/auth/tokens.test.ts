import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/auth/rate-limit.ts';
import { opaqueToken, TokenSigner, tokenHash } from '../../src/auth/tokens.ts';

describe('access tokens', () => {
  const signer = new TokenSigner(randomBytes(32));
  const claims = { sub: 'usr_1', sid: 'ses_1', iat: 1000, exp: 1900 };

  it('verify what they signed until they expire', () => {
    const t = signer.sign(claims);
    expect(signer.verify(t, 1899)).toEqual(claims);
    expect(signer.verify(t, 1900)).toBeUndefined();
  });

  it('refuse a changed payload, another key, and garbage', () => {
    const t = signer.sign(claims);
    const [p, payload, mac] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'usr_admin' })).toString('base64url');
    expect(signer.verify(`${p}.${forged}.${mac}`, 1000)).toBeUndefined();
    expect(new TokenSigner(randomBytes(32)).verify(t, 1000)).toBeUndefined();
    for (const bad of ['', 'lb1', 'lb1..', `lb1.${payload}`, `xx1.${payload}.${mac}`, `lb1.${payload}.${mac}x`])
      expect(signer.verify(bad, 1000)).toBeUndefined();
  });

  it('need a key of at least 256 bits', () => {
    expect(() => new TokenSigner(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('opaque tokens', () => {
  it('are prefixed, random, and stored as SHA-256', () => {
    const a = opaqueToken('lbr');
    expect(a).toMatch(/^lbr_[A-Za-z0-9_-]{43}$/);
    expect(opaqueToken('lbr')).not.toBe(a);
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2 "abc"
  });
});

describe('rate limiter', () => {
  it('allows a burst up to capacity, then refills over time', () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 3, refillPerSecond: 0.5, now: () => now });
    expect([rl.take('ip'), rl.take('ip'), rl.take('ip')]).toEqual([0, 0, 0]);
    expect(rl.take('ip')).toBe(2); // one token back in 2 s
    expect(rl.take('other')).toBe(0);
    now = 2000;
    expect(rl.take('ip')).toBe(0);
    expect(rl.take('ip')).toBeGreaterThan(0);
  });

  it('keeps a bounded number of keys', () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: () => now, maxKeys: 10 });
    for (let i = 0; i < 10; i++) rl.take(`k${i}`);
    now = 5000; // every bucket full again: swept when the map is full
    expect(rl.take('new')).toBe(0);
    expect(rl.take('k0')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from '../src/index.ts';

describe('secrets', () => {
  it('generates 256-bit secrets that verify only against their own hash', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(verifySecret(a, hashSecret(a))).toBe(true);
    expect(verifySecret(Buffer.from(a), hashSecret(a))).toBe(true);
    expect(verifySecret(b, hashSecret(a))).toBe(false);
    expect(verifySecret(undefined, hashSecret(a))).toBe(false);
    expect(verifySecret(a, a)).toBe(false);
  });

  it('is SHA-256 (NIST example "abc")', () => {
    expect(hashSecret('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, scrypt, verifyPassword } from '../../src/auth/passwords.ts';

const FAST = { logN: 10, r: 8, p: 1 };

describe('scrypt', () => {
  // RFC 7914 §12, second test vector: P = "password", S = "NaCl", N = 1024, r = 8, p = 16, dkLen = 64.
  it('reproduces the RFC 7914 test vector (password / NaCl, N=1024, r=8, p=16)', async () => {
    const key = await scrypt('password', Buffer.from('NaCl'), { logN: 10, r: 8, p: 16 }, 64);
    expect(key.toString('hex')).toBe(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162' +
        '2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    );
  });
});

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('padi-subur-2026', FAST);
    expect(h).toMatch(/^scrypt\$10\$8\$1\$/);
    expect(await verifyPassword('padi-subur-2026', h)).toBe(true);
    expect(await verifyPassword('padi-subur-2027', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('x', FAST)).not.toBe(await hashPassword('x', FAST));
  });

  it('treats Unicode compatibility forms as the same password (NFKC)', async () => {
    const h = await hashPassword('ｔａｍａｎ', FAST); // full-width letters, as some phone keyboards type
    expect(await verifyPassword('taman', h)).toBe(true);
  });

  it('refuses unreadable or missing hashes without throwing', async () => {
    for (const bad of [null, undefined, '', 'scrypt$99$8$1$a$b', 'bcrypt$x', 'scrypt$10$8$1$$'])
      expect(await verifyPassword('x', bad, FAST)).toBe(false);
  });

  it('asks for a re-hash when the stored cost is below the current one', async () => {
    const h = await hashPassword('x', FAST);
    expect(needsRehash(h, FAST)).toBe(false);
    expect(needsRehash(h, { logN: 17, r: 8, p: 1 })).toBe(true);
  });
});

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@lumbung/runtime';

/**
 * The key that signs access tokens: LUMBUNG_AUTH_SECRET, or a random 256-bit key made on first start and
 * kept in DATA_DIR/cloud/auth.key (mode 0600), so sessions survive a restart.
 */
export async function authKey(secret: string | undefined, dataDir: string): Promise<Buffer> {
  if (secret !== undefined) {
    if (secret.length < 32) throw new ConfigError('LUMBUNG_AUTH_SECRET', 'must be at least 32 characters');
    return Buffer.from(secret, 'utf8');
  }
  const file = path.join(dataDir, 'cloud', 'auth.key');
  const existing = await readFile(file).catch(() => undefined);
  if (existing && existing.length >= 32) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  await writeFile(file, key, { mode: 0o600, flag: 'w' });
  await chmod(file, 0o600);
  return key;
}

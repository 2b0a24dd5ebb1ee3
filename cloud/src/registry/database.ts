import path from 'node:path';
import { RegistryError } from './port.ts';

/** Where the registry lives: a SQLite file, or a schema of a PostgreSQL database. */
export type DatabaseTarget =
  | { provider: 'sqlite'; file: string }
  | { provider: 'postgresql'; connectionString: string; schema: string };

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads LUMBUNG_DATABASE_URL: none → SQLite `${dataDir}/cloud.db`; `file:PATH` or a plain path → that
 * SQLite file (relative to the working directory, like every other path setting); `postgres://` or
 * `postgresql://` → PostgreSQL, `?schema=NAME` choosing the schema (default `public`).
 */
export function databaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (url === undefined || url.trim() === '') return { provider: 'sqlite', file: path.join(dataDir, 'cloud.db') };
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RegistryError('invalid', `LUMBUNG_DATABASE_URL is not a valid PostgreSQL URL: ${redact(url)}`);
    }
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new RegistryError(
        'invalid',
        `LUMBUNG_DATABASE_URL: schema "${schema}" must be letters, digits and "_", starting with a letter or "_"`,
      );
    // `schema` is Prisma's parameter, not libpq's: pg would pass it on to the server as a setting.
    parsed.searchParams.delete('schema');
    return { provider: 'postgresql', connectionString: parsed.toString(), schema };
  }
  if (url.startsWith('file:')) return { provider: 'sqlite', file: path.resolve(url.slice('file:'.length)) };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return { provider: 'sqlite', file: path.resolve(url) };
  throw new RegistryError(
    'invalid',
    `LUMBUNG_DATABASE_URL must be a PostgreSQL URL (postgresql://user@host:5432/db?schema=lumbung), a SQLite file (file:/var/lib/lumbung/cloud.db) or unset (SQLite in the data directory); got ${redact(url)}`,
  );
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

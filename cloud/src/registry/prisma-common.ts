import { z } from 'zod';
import { RegistryError } from './port.ts';

/** What the two Prisma adapters (registry and accounts) share: checks, row conversions, error mapping. */

/** Byte order, the same on both databases (their collations disagree on "-" and "_"). */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The parsed value, or `RegistryError('invalid')` naming what was refused and why. */
export function valid<S extends z.ZodType>(schema: S, v: unknown, what: string): z.output<S> {
  const r = schema.safeParse(v);
  if (!r.success) throw new RegistryError('invalid', `invalid ${what}: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** An epoch-milliseconds column (BIGINT) as a number; null stays null. */
export const nullableNum = (v: bigint | null): number | null => (v === null ? null : Number(v));

export const prismaCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;

/**
 * Prisma's errors as the port's: a unique value taken (`conflict`), a row referred to missing or a row
 * to change missing (`not_found`); anything else is rethrown as it is. The checks before each write give
 * the usual errors their messages; this covers a concurrent change between check and write.
 */
export function translate(what: string, conflict: string, missing: string): (err: unknown) => never {
  return (err) => {
    switch (prismaCode(err)) {
      case 'P2002':
        throw new RegistryError('conflict', conflict);
      case 'P2003':
        throw new RegistryError('not_found', missing);
      case 'P2025':
        throw new RegistryError('not_found', `no ${what}`);
      default:
        throw err;
    }
  };
}

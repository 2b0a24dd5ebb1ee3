import { type ParseArgsConfig, parseArgs } from 'node:util';

export class UsageError extends Error {}

/** Thrown after a command printed its --help text; main() exits 0. */
export class HelpShown extends Error {}

/** parseArgs with strict options; unknown flags become a UsageError with the command's usage text. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    throw new HelpShown();
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${usage}`);
  }
}

/** An ISO 8601 time or epoch milliseconds. */
export function parseTime(value: string, flag: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n))
    throw new UsageError(`${flag}: not a time: ${value} (use ISO 8601, e.g. 2026-11-01T00:00:00Z)`);
  return n;
}

/** Durations like 30s, 5m, 1h, 1d, or milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: not a duration: ${value} (e.g. 1h, 15m, 1d)`);
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3, w: 604_800e3 }[(m[2] ?? 'ms') as 'ms'];
  return Math.round(Number(m[1]) * unit);
}

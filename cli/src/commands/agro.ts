import { readFile } from 'node:fs/promises';
import * as agronomy from '@lumbung/cloud/agro';
import type { z } from 'zod';
import { parse, UsageError } from '../args.ts';

const USAGE = `lumbung agro SUBCOMMAND FILE
  Agronomy calculations: reads one JSON object from FILE (- for standard input), prints the result and its
  intermediates as JSON. The fields, units and worked examples are in docs/agronomy.md.
  et0-daily FILE      reference evapotranspiration ET0 of a day or a month (FAO-56 Eq. 6), mm/day
  et0-hourly FILE     reference evapotranspiration ET0 of one hour (FAO-56 Eq. 53 or ASCE ETos), mm/hour
  water-balance FILE  daily root-zone water balance of a plot (FAO-56 chapter 8)
  Input that is not valid exits with code 2 and names the field.`;

interface Subcommand {
  schema: z.ZodType;
  run: (input: never) => unknown;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  'et0-daily': { schema: agronomy.Et0DailyInput, run: agronomy.et0Daily },
  'et0-hourly': { schema: agronomy.Et0HourlyInput, run: agronomy.et0Hourly },
  'water-balance': {
    schema: agronomy.WaterBalanceInput,
    run: (input: agronomy.WaterBalanceInput) => agronomy.waterBalance(input),
  },
};

export async function agro(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {}, USAGE);
  const [name, file, ...extra] = positionals;
  if (!name) throw new UsageError(`lumbung agro: SUBCOMMAND is missing\n\n${USAGE}`);
  const sub = SUBCOMMANDS[name];
  if (!sub) throw new UsageError(`lumbung agro: unknown subcommand '${name}'\n\n${USAGE}`);
  if (!file) throw new UsageError(`lumbung agro ${name}: FILE is missing (- reads standard input)\n\n${USAGE}`);
  if (extra.length) throw new UsageError(`lumbung agro ${name}: one FILE only, got also ${extra.join(' ')}`);
  const source = file === '-' ? 'standard input' : file;
  const text = await readInput(file).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`lumbung agro ${name}: ${source} tidak terbaca / cannot be read (${err.code ?? err.message})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `lumbung agro ${name}: ${source} bukan JSON yang sah / is not valid JSON (${(err as Error).message})`,
    );
  }
  const parsed = sub.schema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(
      `lumbung agro ${name}: ${source}: input tidak sah / invalid input\n${describeIssues(parsed.error.issues)}`,
    );
  console.log(JSON.stringify(sub.run(parsed.data as never), null, 2));
  return 0;
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `days[3].et0` for the path ['days', 3, 'et0']. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('');
}

/** One line per problem, each naming its field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .flatMap((issue) => {
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => `  ${fieldName([...issue.path, key])}: kolom tidak dikenal / unknown field`);
      return [`  ${fieldName(issue.path) || '(input)'}: ${issue.message}`];
    })
    .join('\n');
}

import { configTable } from '@lumbung/runtime';
import { parse } from '../args.ts';
import { allSettings } from '../settings.ts';

const USAGE =
  'lumbung config\n  Prints every setting (environment variable, default, description) as a Markdown table.';

export async function config(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  console.log(configTable(await allSettings()));
  return 0;
}

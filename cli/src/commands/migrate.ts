import path from 'node:path';
import { migrate as applyMigrations, cloudSettings } from '@lumbung/cloud';
import { loadConfig } from '@lumbung/runtime';
import { parse } from '../args.ts';
import { cliSettings } from '../settings.ts';

const USAGE = `lumbung migrate
  Applies the registry's database migrations that are not applied yet (the cloud also does this at
  start-up) to LUMBUNG_DATABASE_URL, or to the SQLite file in LUMBUNG_DATA_DIR, and lists them.`;

export async function migrate(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  const cli = loadConfig(cliSettings);
  const cfg = loadConfig(cloudSettings);
  const result = await applyMigrations({ url: cfg.databaseUrl, dataDir: path.resolve(cli.dataDir) });
  console.log(
    result.applied.length === 0
      ? `${result.provider}: up to date`
      : `${result.provider}: applied ${result.applied.join(', ')}`,
  );
  return 0;
}

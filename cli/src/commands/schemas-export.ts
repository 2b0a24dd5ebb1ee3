import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deviceJsonSchemas } from '@lumbung/schemas';
import { parse } from '../args.ts';

const USAGE = 'lumbung schemas-export [--out docs/schemas]\n  Writes the JSON Schema of every device-facing payload.';

export async function schemasExport(argv: string[]): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string', default: 'docs/schemas' } }, USAGE);
  const out = path.resolve(values.out ?? 'docs/schemas');
  await mkdir(out, { recursive: true });
  for (const [file, schema] of Object.entries(deviceJsonSchemas())) {
    await writeFile(path.join(out, file), `${JSON.stringify(schema, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), path.join(out, file))}`);
  }
  return 0;
}

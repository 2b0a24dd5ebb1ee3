import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCatalogue, deviceJsonSchemas } from '../src/index.ts';

// docs/devices.md is what firmware authors read; it must list every metric exactly as the catalogue has it.
describe('docs/devices.md', () => {
  const doc = readFileSync(new URL('../../docs/devices.md', import.meta.url), 'utf8');
  it.each(defaultCatalogue.list().map((m) => [m.name, m] as const))('documents %s', (_name, m) => {
    expect(doc).toContain(`| \`${m.name}\` | ${m.unit} | ${m.kind} | ${m.min} … ${m.max} |`);
  });
});

// docs/schemas/ is written by `npm run schemas:export`; firmware authors read the committed copy.
describe('docs/schemas', () => {
  it.each(Object.entries(deviceJsonSchemas()))('%s is up to date (run npm run schemas:export)', (file, schema) => {
    const committed = JSON.parse(readFileSync(new URL(`../../docs/schemas/${file}`, import.meta.url), 'utf8'));
    expect(committed).toEqual(schema);
  });
});

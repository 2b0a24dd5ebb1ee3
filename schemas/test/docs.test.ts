import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../src/index.ts';

// docs/devices.md is what firmware authors read; it must list every metric exactly as the catalogue has it.
describe('docs/devices.md', () => {
  const doc = readFileSync(new URL('../../docs/devices.md', import.meta.url), 'utf8');
  it.each(defaultCatalogue.list().map((m) => [m.name, m] as const))('documents %s', (_name, m) => {
    expect(doc).toContain(`| \`${m.name}\` | ${m.unit} | ${m.kind} | ${m.min} … ${m.max} |`);
  });
});

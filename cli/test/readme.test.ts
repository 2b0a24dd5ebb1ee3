import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderReadme } from '../src/commands/config.ts';

// The README's settings and command tables are generated; this keeps them in step with the code.
describe('README.md', () => {
  it('has up-to-date generated tables (run: npm run lumbung -- config --readme)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(await renderReadme(readme)).toBe(readme);
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedDocs, renderBlocks } from '../src/commands/config.ts';

// The settings and command tables of README.md and docs/ are generated; this keeps them in step with the code.
describe('generated tables', () => {
  it('are up to date in README.md, docs/edge.md and docs/gateway.md (run: npm run lumbung -- config --readme)', async () => {
    const docs = await generatedDocs();
    expect(docs.length).toBe(3);
    for (const doc of docs) {
      const text = await readFile(doc.file, 'utf8');
      expect(renderBlocks(text, doc.blocks, doc.file), doc.file).toBe(text);
    }
  });
});

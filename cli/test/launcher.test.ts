import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EDGE_NODE_OPTIONS } from '../src/settings.ts';

const launcher = new URL('../bin/lumbung', import.meta.url).pathname;

describe('cli/bin/lumbung launcher', () => {
  it('gives the edge the heap caps documented as LUMBUNG_EDGE_NODE_OPTIONS', async () => {
    expect(await readFile(launcher, 'utf8')).toContain(`\${LUMBUNG_EDGE_NODE_OPTIONS:-${EDGE_NODE_OPTIONS}}`);
  });

  it('runs the command through node (exec), passing the arguments on', async () => {
    const { stdout } = await promisify(execFile)(launcher, ['help']);
    expect(stdout).toMatch(/^Usage: lumbung COMMAND/);
  });
});

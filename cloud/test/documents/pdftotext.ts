/**
 * Text of a generated PDF, through poppler's pdftotext, so tests read what a person would read.
 * Without poppler-utils the PDF text tests are skipped locally and fail under CI=true, where it must be
 * installed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const PDFTOTEXT = '/usr/bin/pdftotext';
export const INSTALL_HINT = 'install poppler-utils (apt-get install poppler-utils)';

/** True when pdftotext can be run. Logs the hint and returns false locally; throws under CI. */
export function hasPdftotext(): boolean {
  if (existsSync(PDFTOTEXT)) return true;
  if (process.env.CI === 'true') throw new Error(`${PDFTOTEXT} is missing: ${INSTALL_HINT}`);
  console.warn(`skipping PDF text tests: ${INSTALL_HINT}`);
  return false;
}

const run = promisify(execFile);

/** `pdftotext -layout` of the PDF; pages are separated by form feeds ('\f'). */
export async function pdfText(buf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lumbung-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    await writeFile(file, buf);
    const { stdout } = await run(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pages of pdftotext output, without the empty string after the last form feed. */
export function pages(text: string): string[] {
  const parts = text.split('\f');
  if (parts.length > 0 && parts[parts.length - 1]?.trim() === '') parts.pop();
  return parts;
}

#!/usr/bin/env node
// The `lumbung` command. The TypeScript sources run as one esbuild bundle (see bundle.js); if esbuild is not
// available, they run through tsx instead.
import { pathToFileURL } from 'node:url';

process.setSourceMapsEnabled(true);
let entry;
try {
  const { bundle } = await import('./bundle.js');
  entry = pathToFileURL(await bundle()).href;
} catch (err) {
  console.error(`lumbung: running without a bundle (${err.message})`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/main.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));

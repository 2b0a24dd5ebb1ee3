#!/usr/bin/env node
// The `lumbung` command. TypeScript sources run through tsx: there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));

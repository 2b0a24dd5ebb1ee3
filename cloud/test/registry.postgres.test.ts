import { describe, it } from 'vitest';
import { openRegistry } from '../src/registry/index.ts';
import { testDatabases } from './databases.ts';
import { registryContract } from './registry.contract.ts';

const postgresql = testDatabases().find((d) => d.name === 'postgresql')!;

if (postgresql.available)
  registryContract('postgresql', async () => {
    const d = await postgresql.create();
    return { open: () => openRegistry(d), cleanup: d.cleanup };
  });
else describe('Registry contract: postgresql', () => it.skip(postgresql.skipReason ?? 'unavailable', () => {}));

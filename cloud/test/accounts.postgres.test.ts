import { describe, it } from 'vitest';
import { openRegistry } from '../src/registry/index.ts';
import { accountsContract } from './accounts.contract.ts';
import { testDatabases } from './databases.ts';

const postgresql = testDatabases().find((d) => d.name === 'postgresql')!;

if (postgresql.available)
  accountsContract('postgresql', async () => {
    const d = await postgresql.create();
    return { open: () => openRegistry(d), cleanup: d.cleanup };
  });
else describe('Accounts contract: postgresql', () => it.skip(postgresql.skipReason ?? 'unavailable', () => {}));

import { openRegistry } from '../src/registry/index.ts';
import { accountsContract } from './accounts.contract.ts';
import { testDatabases } from './databases.ts';

const sqlite = testDatabases().find((d) => d.name === 'sqlite')!;

accountsContract('sqlite', async () => {
  const d = await sqlite.create();
  return { open: () => openRegistry(d), cleanup: d.cleanup };
});

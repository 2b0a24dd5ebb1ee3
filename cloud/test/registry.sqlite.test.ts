import { openRegistry } from '../src/registry/index.ts';
import { testDatabases } from './databases.ts';
import { registryContract } from './registry.contract.ts';

const sqlite = testDatabases().find((d) => d.name === 'sqlite')!;

registryContract('sqlite', async () => {
  const d = await sqlite.create();
  return { open: () => openRegistry(d), cleanup: d.cleanup };
});

import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { standInAdapter } from '../stand-in-adapter.ts';

// The JS engine with a driver adapter: the CLI then needs no engine binary, which cannot be downloaded
// here (docs/decisions/0006-database-migrations.md). Without LUMBUNG_DATABASE_URL only generate and
// migrate diff work.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'schema.prisma',
  async adapter() {
    const url = process.env.LUMBUNG_DATABASE_URL;
    // allowExitOnIdle: the CLI never closes the pool, and would otherwise wait 10 s for it to idle out.
    return url ? new PrismaPg({ connectionString: url, allowExitOnIdle: true }) : standInAdapter('postgres');
  },
});

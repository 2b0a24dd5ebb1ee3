import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
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
    return url ? new PrismaBetterSQLite3({ url: url.replace(/^file:/, '') }) : standInAdapter('sqlite');
  },
});

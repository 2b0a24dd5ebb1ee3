import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
} from '@prisma/driver-adapter-utils';

/**
 * A driver adapter without a database, for the Prisma CLI commands that need none (`generate`,
 * `migrate diff --from-empty --to-schema-datamodel`). Prisma's JS schema engine connects anyway and, on
 * PostgreSQL, asks for the server version once; this answers that question (as PostgreSQL 15, the oldest
 * we support) and refuses everything else, so `migrate deploy` without LUMBUNG_DATABASE_URL fails loudly
 * instead of migrating nothing.
 */
export function standInAdapter(provider: 'sqlite' | 'postgres'): SqlMigrationAwareDriverAdapterFactory {
  const refuse = async (): Promise<never> => {
    throw new Error(
      `no database: set LUMBUNG_DATABASE_URL (${provider === 'sqlite' ? 'file:/path/to/cloud.db' : 'postgresql://user@host/db'})`,
    );
  };
  const adapter: SqlDriverAdapter = {
    provider,
    adapterName: 'lumbung-stand-in',
    async queryRaw(q: SqlQuery): Promise<SqlResultSet> {
      if (provider !== 'postgres' || !q.sql.includes('server_version_num')) return refuse();
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        // Boolean, Text, Int32 in driver-adapter-utils' ColumnTypeEnum
        columnTypes: [5, 7, 0],
        rows: [[true, 'PostgreSQL 15.0 (stand-in)', 150000]],
      };
    },
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    async dispose() {},
  };
  return {
    provider,
    adapterName: 'lumbung-stand-in',
    connect: async () => adapter,
    connectToShadowDb: async () => adapter,
  };
}

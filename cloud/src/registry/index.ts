export { type DatabaseTarget, databaseTarget, redact } from './database.ts';
export { type Migration, MigrationError, migrate, migrationsDir, readMigrations } from './migrate.ts';
export type { Registry, RegistryErrorKind } from './port.ts';
export { RegistryError } from './port.ts';
export { openRegistry, PrismaRegistry } from './prisma.ts';
export { type SeedOptions, seedFromScenario, siteRecord, villageRecord } from './seed.ts';

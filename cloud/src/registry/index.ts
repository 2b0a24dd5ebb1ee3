export {
  type Accounts,
  ApiTokenRecord,
  AUDIT_ACTIONS,
  AuditEventRecord,
  MembershipInput,
  MembershipRecord,
  NewApiToken,
  NewAuditEvent,
  NewNotification,
  NewOtp,
  NewProvisioningCode,
  NewSession,
  NewUser,
  NOTIFICATION_CHANNELS,
  NotificationChannel,
  NotificationRecord,
  OtpRecord,
  ProvisioningCodeRecord,
  ROLES,
  Role,
  SessionRecord,
  UserPatch,
  UserRecord,
} from './accounts.ts';
export { type DatabaseTarget, databaseTarget, redact } from './database.ts';
export type { EcoStore, StoredCsrReport } from './eco.ts';
export { type Migration, MigrationError, migrate, migrationsDir, readMigrations } from './migrate.ts';
export type { Registry, RegistryErrorKind } from './port.ts';
export { RegistryError } from './port.ts';
export { openRegistry, PrismaRegistry } from './prisma.ts';
export { PrismaAccounts } from './prisma-accounts.ts';
export { PrismaEco } from './prisma-eco.ts';
export { PrismaSupply } from './prisma-supply.ts';
export { type SeedOptions, seedFromScenario, siteRecord, villageRecord } from './seed.ts';
export type { LotFilter, OnHand, StoredLot, StoredShipment, SupplyStore } from './supply.ts';

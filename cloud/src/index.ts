export { type App, type AppDeps, buildApp } from './app.ts';
export { authKey } from './auth/key.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { GRANTS, PERMISSIONS, type Permission, Principal, permissionMatrix, ROLE_LABELS } from './auth/permissions.ts';
export {
  AuthenticatedPrincipal,
  type AuthPolicy,
  AuthService,
  DEFAULT_POLICY,
  OutboxNotifier,
} from './auth/service.ts';
export { Cloud, type CloudOptions } from './cloud.ts';
export {
  DEMO_CSR_PARTNER,
  DEMO_CSR_PROGRAMME,
  DEMO_UNIT_WEIGHTS,
  type EcoDemoOptions,
  type EcoDemoResult,
  seedEcoDemo,
} from './eco/demo.ts';
export { computeIndicators, type IndicatorInputs, type Indicators } from './eco/indicators.ts';
export { type CsrReportModel, csrReport, csrReportCsv, csrReportPdf } from './eco/report.ts';
export { CsrReportSchedule, type CsrScheduleOptions, type CsrScheduleResult } from './eco/schedule.ts';
export { type CollectedInputs, EcoService, type EcoServiceDeps, HEADLINE_KEYS } from './eco/service.ts';
export { ApiFailure, ERRORS, type ErrorCode, type Language, negotiateLanguage } from './errors.ts';
export { IngestBridge, type IngestEvents, type Subscribe } from './ingest.ts';
export { LiveHub, type LiveMessage } from './live.ts';
export * from './registry/index.ts';
export { cloudSettings } from './settings.ts';
export { DEMO_COOPERATIVE, DEMO_GTIN, DEMO_ORDER, seedSupplyDemo } from './supply/demo.ts';
export { type Actor, SupplyService } from './supply/service.ts';
export { STALE_INTERVALS, Telemetry } from './telemetry.ts';

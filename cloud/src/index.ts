export { type App, type AppDeps, buildApp } from './app.ts';
export { Cloud, type CloudOptions } from './cloud.ts';
export { ApiFailure, ERRORS, type ErrorCode, type Language, negotiateLanguage } from './errors.ts';
export { IngestBridge, type IngestEvents, type Subscribe } from './ingest.ts';
export { LiveHub, type LiveMessage } from './live.ts';
export * from './registry/index.ts';
export { cloudSettings } from './settings.ts';
export { STALE_INTERVALS, Telemetry } from './telemetry.ts';

export * from './db.ts';
export * from './decode.ts';
export * from './gateway.ts';
export * from './metrics.ts';
export * from './settings.ts';
export * from './window.ts';
export * from './writer.ts';

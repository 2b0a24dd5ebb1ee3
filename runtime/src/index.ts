export * from './component.ts';
export * from './config.ts';
export * from './events.ts';
export * from './http.ts';
export * from './log.ts';
export * from './metrics.ts';
export * from './net.ts';
export * from './secrets.ts';

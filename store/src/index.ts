export * from './duckdb.ts';
export * from './open.ts';
export * from './port.ts';
export * from './util.ts';
export * from './victoria.ts';
export * from './victoria-process.ts';

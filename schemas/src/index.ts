export * from './alert.ts';
export * from './device.ts';
export * from './ids.ts';
export * from './jsonschema.ts';
export * from './metrics.ts';
export * from './provisioning.ts';
export * from './topics.ts';
export * from './uplink.ts';

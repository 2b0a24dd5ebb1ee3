export { LAUNCHER, LumbungProcess, stopChild } from './child.ts';
export { main } from './main.ts';
export { EDGE_NODE_OPTIONS } from './settings.ts';

export { LAUNCHER, LumbungProcess } from './child.ts';
export { main } from './main.ts';
export { EDGE_NODE_OPTIONS } from './settings.ts';

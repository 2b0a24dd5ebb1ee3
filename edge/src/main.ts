// Runs the village box alone: `node --import tsx edge/src/main.ts` (settings from LUMBUNG_* environment variables).
import { createLogger, loadConfig } from '@lumbung/runtime';
import { Edge } from './edge.ts';
import { edgeOptionsFromConfig, edgeSettings } from './settings.ts';

const log = createLogger('edge');
const edge = new Edge({ ...edgeOptionsFromConfig(loadConfig(edgeSettings)), logger: log });
await edge.start();
const shutdown = () => {
  edge.stop().then(
    () => process.exit(0),
    (err) => {
      log.error({ err }, 'stop failed');
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

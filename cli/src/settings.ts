import path from 'node:path';
import { edgeSettings } from '@lumbung/edge';
import { gatewaySettings } from '@lumbung/gateway';
import { env, type SettingsShape, setting } from '@lumbung/runtime';

/** V8 heap caps for `lumbung edge`, applied by the launcher script cli/bin/lumbung (kept in step by a test). */
export const EDGE_NODE_OPTIONS = '--max-old-space-size=96 --max-semi-space-size=2';

/** Settings the `lumbung` command adds to those of the components it runs. */
export const cliSettings = {
  dataDir: setting(
    'LUMBUNG_DATA_DIR',
    env.string('./data'),
    'Directory for local state: the demo keeps tsdb.duckdb, credentials.json, gateway/ and edge/ there; `lumbung gateway` and `lumbung edge` keep their own files in it',
  ),
  tsdbUrl: setting(
    'LUMBUNG_TSDB_URL',
    env.optionalString(),
    'Time-series store: a DuckDB file (`duckdb:PATH` or a path) or a VictoriaMetrics URL (`http://host:8428`); default `DATA_DIR/tsdb.duckdb`',
  ),
  scenario: setting(
    'LUMBUNG_SCENARIO',
    env.optionalString(),
    'Village scenario file for the simulator and the demo; default the Kelurahan Taman demo scenario',
  ),
  simSpeed: setting(
    'LUMBUNG_SIM_SPEED',
    env.number(1),
    'Simulated time per wall-clock time (1 = real time, 3600 = an hour per second)',
  ),
  backfillDays: setting(
    'LUMBUNG_DEMO_BACKFILL_DAYS',
    env.number(30),
    'Days of history the demo simulates on its first start, sent through the real pipeline',
  ),
  demoPassword: setting(
    'LUMBUNG_DEMO_PASSWORD',
    env.optionalString(),
    'Password of every demo user (set on each start, so scripts can sign in); default a random one per user, printed at start and kept in DATA_DIR/demo-users.json',
  ),
  edgeNodeOptions: setting(
    'LUMBUNG_EDGE_NODE_OPTIONS',
    env.string(EDGE_NODE_OPTIONS),
    'Node options the launcher (`cli/bin/lumbung`) gives a village box process: capped V8 heaps for a small computer',
  ),
} satisfies SettingsShape;

/** Every setting of every component, for `lumbung config` and the README table. */
export async function allSettings(): Promise<Record<string, SettingsShape>> {
  // Loaded here only: a village box process must not load the cloud's packages with its settings.
  const { cloudSettings } = await import('@lumbung/cloud');
  return { 'demo/cli': cliSettings, cloud: cloudSettings, gateway: gatewaySettings, edge: edgeSettings };
}

/** The store URL: LUMBUNG_TSDB_URL or the embedded DuckDB file in the data dir. */
export const storeUrl = (tsdbUrl: string | undefined, dataDir: string): string =>
  tsdbUrl ?? path.join(dataDir, 'tsdb.duckdb');

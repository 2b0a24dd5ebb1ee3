/**
 * Runs the simulator alone (the platform's own entry point is `lumbung sim`):
 *   node --import tsx firmware-sim/src/main.ts --broker mqtt://127.0.0.1:1884 --secrets secrets.json [--speed 3600] [--backfill-days 7]
 *   node --import tsx firmware-sim/src/main.ts --dry-run --from 2026-01-01T00:00:00+07:00 --to 2026-01-02T00:00:00+07:00
 * --dry-run prints the messages as NDJSON, without a network.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { iterateReadings } from './generator.ts';
import { DEMO_SCENARIO_PATH, loadScenario, ScenarioError } from './scenario.ts';
import { Simulator } from './simulator.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    broker: { type: 'string', default: 'mqtt://127.0.0.1:1884' },
    secrets: { type: 'string' },
    speed: { type: 'string', default: '1' },
    'backfill-days': { type: 'string', default: '0' },
    seed: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
  },
});

try {
  const scenario = await loadScenario(values.scenario ?? DEMO_SCENARIO_PATH);
  const seed = values.seed !== undefined ? Number(values.seed) : undefined;
  if (values['dry-run']) {
    // `| head` closes the pipe early: that is the reader being done, not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    const to = values.to ? Date.parse(values.to) : Date.now();
    const from = values.from ? Date.parse(values.from) : to - 86_400_000;
    for (const e of iterateReadings(scenario, { from, to, seed })) process.stdout.write(`${JSON.stringify(e)}\n`);
  } else {
    if (!values.secrets) throw new Error('--secrets FILE (JSON: {"deviceId": "secret"}) is required');
    const secrets = JSON.parse(await readFile(values.secrets, 'utf8')) as Record<string, string>;
    const sim = new Simulator({
      scenario,
      brokerUrl: values.broker,
      secrets,
      speed: Number(values.speed),
      backfillDays: Number(values['backfill-days']),
      seed,
      onEvent: (e) => {
        if (e.type !== 'connected') process.stderr.write(`${JSON.stringify(e)}\n`);
      },
    });
    await sim.start();
    const line = setInterval(() => {
      const s = sim.stats();
      process.stderr.write(
        `\r${s.phase} ${new Date(s.simTime).toISOString()} published ${s.published} acked ${s.acked} failed ${s.failed} lost ${s.lost} backlog ${s.backlog}   `,
      );
    }, 1000);
    const shutdown = async () => {
      clearInterval(line);
      await sim.stop();
      process.stderr.write('\n');
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }
} catch (err) {
  process.stderr.write(`${err instanceof ScenarioError ? err.message : (err as Error).stack}\n`);
  process.exitCode = 1;
}

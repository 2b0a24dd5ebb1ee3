import { readFile } from 'node:fs/promises';
import { DEMO_SCENARIO_PATH, iterateReadings, loadScenario, Simulator } from '@lumbung/firmware-sim';
import { loadConfig } from '@lumbung/runtime';
import { parse, parseTime, UsageError } from '../args.ts';
import { runUntilSignal } from '../service.ts';
import { cliSettings } from '../settings.ts';

const USAGE = `lumbung sim [options]
  Plays a village scenario against a village box: every device connects with its own credentials and
  publishes QoS 1 readings.
  --scenario FILE       scenario (default LUMBUNG_SCENARIO, else the Kelurahan Taman demo)
  --broker URL          the village box's device broker (default mqtt://127.0.0.1:1883)
  --secrets FILE        JSON {"deviceId": "secret"}, or the credentials.json that \`lumbung register\` and
                        the demo write (its "devices"); required unless --dry-run
  --speed N             simulated seconds per second (default LUMBUNG_SIM_SPEED, 1)
  --start TIME          simulated time to start at (default now; with --speed > 1, 7 days ago). The
                        simulated clock never passes the present: a village box refuses future readings,
                        so a fast replay runs until it reaches now and then continues at real time
  --backfill-days N     first send N days of history as fast as the box acknowledges
  --seed N              overrides the scenario's seed
  --dry-run             print the messages as NDJSON without a network, for --from/--to (default: the last day)`;

export async function sim(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      scenario: { type: 'string' },
      broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      secrets: { type: 'string' },
      speed: { type: 'string' },
      'backfill-days': { type: 'string', default: '0' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    USAGE,
  );
  const cfg = loadConfig(cliSettings);
  const scenario = await loadScenario(values.scenario ?? cfg.scenario ?? DEMO_SCENARIO_PATH);
  const seed = values.seed !== undefined ? Number(values.seed) : undefined;
  if (values['dry-run']) {
    // `| head` closes the pipe early: that is the reader being done, not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    const to = values.to ? parseTime(values.to, '--to') : Date.now();
    const from = values.from ? parseTime(values.from, '--from') : to - 86_400_000;
    for (const e of iterateReadings(scenario, { from, to, seed })) process.stdout.write(`${JSON.stringify(e)}\n`);
    return 0;
  }
  if (!values.secrets) throw new UsageError(`--secrets FILE is required\n\n${USAGE}`);
  const file = JSON.parse(await readFile(values.secrets, 'utf8')) as Record<string, unknown>;
  const secrets = (typeof file.devices === 'object' && file.devices !== null ? file.devices : file) as Record<
    string,
    string
  >;
  const speed = values.speed !== undefined ? Number(values.speed) : cfg.simSpeed;
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number\n\n${USAGE}`);
  const startAt = values.start
    ? parseTime(values.start, '--start')
    : speed > 1
      ? Date.now() - 7 * 86_400_000
      : undefined;
  const simulator = new Simulator({
    scenario,
    brokerUrl: values.broker ?? 'mqtt://127.0.0.1:1883',
    secrets,
    speed,
    ...(startAt !== undefined ? { startAt } : {}),
    realTimeCap: true,
    backfillDays: Number(values['backfill-days']),
    seed,
    onEvent: (e) => {
      if (e.type !== 'connected' && e.type !== 'disconnected') process.stderr.write(`${JSON.stringify(e)}\n`);
    },
  });
  return runUntilSignal([simulator], {
    onTick: () => {
      const s = simulator.stats();
      process.stderr.write(
        `\r${s.phase} ${new Date(s.simTime).toISOString()}  published ${s.published}  acked ${s.acked}  failed ${s.failed}  lost ${s.lost}  backlog ${s.backlog}   `,
      );
    },
    onStopping: () => process.stderr.write('\n'),
  });
}

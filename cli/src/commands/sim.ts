import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import {
  DEMO_SCENARIO_PATH,
  exchangeProvisioningCode,
  iterateReadings,
  loadScenario,
  ProvisioningError,
  Simulator,
  waitUntilAdmitted,
} from '@lumbung/firmware-sim';
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
                        the demo write (its "devices"); required unless --dry-run or --codes
  --cloud URL           with --codes: the cloud where devices exchange their provisioning codes
  --codes FILE          JSON {"deviceId": "CODE"}: one-time provisioning codes from the village admin
                        (POST /api/v1/villages/:villageId/devices, or .../rotate); before connecting, each
                        device exchanges its code for its secret. With --secrets the secrets are written
                        there (mode 0600), so a restart needs no new codes; a code already used is skipped
                        for a device that has a secret in that file
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
      cloud: { type: 'string' },
      codes: { type: 'string' },
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
  if (!values.secrets && !values.codes) throw new UsageError(`--secrets FILE or --codes FILE is required\n\n${USAGE}`);
  if (values.codes && !values.cloud) throw new UsageError(`--codes needs --cloud URL\n\n${USAGE}`);
  const secretsFile = values.secrets ? await readSecrets(values.secrets, !values.codes) : undefined;
  const secrets = { ...secretsFile?.secrets };
  if (values.codes && values.cloud) {
    const codes = JSON.parse(await readFile(values.codes, 'utf8')) as Record<string, string>;
    const fresh = await exchangeCodes(values.cloud, codes, secrets);
    Object.assign(secrets, fresh);
    if (values.secrets) await writeSecrets(values.secrets, secretsFile?.raw, secrets);
    // The box learns new secrets on its next provisioning poll: start once it admits them, as firmware retries.
    const broker = values.broker ?? 'mqtt://127.0.0.1:1883';
    await Promise.all(
      Object.entries(fresh).map(async ([deviceId, secret]) => {
        const waitedMs = await waitUntilAdmitted(broker, deviceId, secret);
        process.stderr.write(
          `${JSON.stringify({ type: 'admitted', deviceId, waitedMs, at: new Date().toISOString() })}\n`,
        );
      }),
    );
  }
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
    // Connections too: an operator (and the revocation test) sees when the box cuts a device off.
    onEvent: (e) => process.stderr.write(`\n${JSON.stringify({ ...e, at: new Date().toISOString() })}\n`),
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

/** A secrets file: flat `{"deviceId": "secret"}` or a credentials.json with its `devices`. */
async function readSecrets(
  file: string,
  required: boolean,
): Promise<{ raw: Record<string, unknown>; secrets: Record<string, string> } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const raw = JSON.parse(text) as Record<string, unknown>;
  const secrets = (typeof raw.devices === 'object' && raw.devices !== null ? raw.devices : raw) as Record<
    string,
    string
  >;
  return { raw, secrets };
}

/**
 * Each device exchanges its code for its secret, as real firmware does on first start (docs/devices.md).
 * A device that already has a secret keeps it when its code was used before (a restart with the same file).
 */
async function exchangeCodes(
  cloudUrl: string,
  codes: Record<string, string>,
  known: Record<string, string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [deviceId, code] of Object.entries(codes)) {
    try {
      const creds = await exchangeProvisioningCode(cloudUrl, code);
      if (creds.deviceId !== deviceId)
        throw new Error(`the code given for ${deviceId} belongs to device ${creds.deviceId}`);
      out[deviceId] = creds.secret;
      process.stderr.write(`${JSON.stringify({ type: 'provisioned', deviceId, at: new Date().toISOString() })}\n`);
    } catch (err) {
      if (err instanceof ProvisioningError && err.status === 401 && known[deviceId] !== undefined) {
        process.stderr.write(
          `${JSON.stringify({ type: 'code_skipped', deviceId, reason: 'used or expired; keeping the stored secret' })}\n`,
        );
        continue;
      }
      throw new Error(`device ${deviceId}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** Writes the secrets back (mode 0600, through a temporary file), keeping a credentials.json's other parts. */
async function writeSecrets(
  file: string,
  raw: Record<string, unknown> | undefined,
  secrets: Record<string, string>,
): Promise<void> {
  const nested = raw !== undefined && typeof raw.devices === 'object' && raw.devices !== null;
  const body = nested ? { ...raw, devices: secrets } : secrets;
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

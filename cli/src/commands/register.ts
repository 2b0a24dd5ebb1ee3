import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { cloudSettings, hashPassword, openRegistry } from '@lumbung/cloud';
import { DEMO_SCENARIO_PATH, loadScenario } from '@lumbung/firmware-sim';
import { generateSecret, loadConfig } from '@lumbung/runtime';
import { parse } from '../args.ts';
import { demoCredentials, registerWithCredentials } from '../demo-credentials.ts';
import { cliSettings } from '../settings.ts';

const USAGE = `lumbung register [--scenario FILE]
  On a registry without users it also creates the first platform admin, \`admin\`, with the password in
  LUMBUNG_ADMIN_PASSWORD or a random one printed once.
  Registers a village from a scenario file (village, sites, devices and one village box) in the registry
  (LUMBUNG_DATABASE_URL, default SQLite in LUMBUNG_DATA_DIR) and issues credentials: the registry keeps
  their hashes, DATA_DIR/credentials.json (mode 0600) the secrets to give the village box and the devices.
  Running it again keeps the secrets already issued and issues new ones only for new devices.`;

export async function register(argv: string[]): Promise<number> {
  const { values } = parse(argv, { scenario: { type: 'string' } }, USAGE);
  const cli = loadConfig(cliSettings);
  const cfg = loadConfig(cloudSettings);
  const dataDir = path.resolve(cli.dataDir);
  await mkdir(dataDir, { recursive: true });
  const scenario = await loadScenario(values.scenario ?? cli.scenario ?? DEMO_SCENARIO_PATH);
  const creds = await demoCredentials(dataDir, scenario);
  const registry = openRegistry({ url: cfg.databaseUrl, dataDir });
  await registry.start();
  let adminLine = '';
  try {
    await registerWithCredentials(registry, scenario, creds);
    if ((await registry.accounts.listUsers()).length === 0) {
      const password = process.env.LUMBUNG_ADMIN_PASSWORD || generateSecret().slice(0, 20);
      const now = Date.now();
      const admin = await registry.accounts.createUser({
        username: 'admin',
        displayName: 'Admin platform',
        passwordHash: await hashPassword(password),
        createdAt: now,
        passwordChangedAt: now,
      });
      await registry.accounts.setMemberships(admin.id, [{ role: 'platform_admin', villageId: null }], now);
      adminLine = process.env.LUMBUNG_ADMIN_PASSWORD
        ? 'first platform admin: admin (password from LUMBUNG_ADMIN_PASSWORD)'
        : `first platform admin: admin / ${password} (shown once: change it)`;
    }
  } finally {
    await registry.stop();
  }
  console.log(
    [
      `registered ${scenario.village.name} (${scenario.village.id}): ${scenario.sites.length} sites, ${scenario.devices.length} devices, village box ${creds.edgeId}`,
      `secrets in ${creds.file}: give the village box LUMBUNG_EDGE_ID=${creds.edgeId} and its secret ("edge"), each device its own ("devices")`,
      adminLine,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return 0;
}

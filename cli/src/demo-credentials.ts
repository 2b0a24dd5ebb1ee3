import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Registry, seedFromScenario } from '@lumbung/cloud';
import { provisionScenario } from '@lumbung/firmware-sim';
import { generateSecret, hashSecret } from '@lumbung/runtime';
import type { Scenario } from '@lumbung/schemas';
import { z } from 'zod';

const CredentialsFile = z.object({
  edge: z.object({ edgeId: z.string(), secret: z.string() }),
  devices: z.record(z.string(), z.string()),
  gatewayToken: z.string().optional(),
});

export interface DemoCredentials {
  edgeId: string;
  edgeSecret: string;
  /** The token the demo's gateway presents to the cloud for its provisioning. */
  gatewayToken: string;
  deviceSecrets: Record<string, string>;
  file: string;
}

/**
 * The demo's credentials: generated on first start and kept in DATA_DIR/credentials.json (mode 0600), so
 * a restart reconnects the same devices; the registry keeps only their hashes. Devices added to the scenario later get new secrets; the file
 * holds plain secrets because the simulator must present them, while the edge and gateway get only hashes.
 */
export async function demoCredentials(dataDir: string, scenario: Scenario): Promise<DemoCredentials> {
  const file = path.join(dataDir, 'credentials.json');
  const existing = await readFile(file, 'utf8').then(
    (t) => CredentialsFile.parse(JSON.parse(t)),
    () => undefined,
  );
  const edgeId = existing?.edge.edgeId ?? `box-${scenario.village.id}`.slice(0, 64);
  const edgeSecret = existing?.edge.secret ?? generateSecret();
  const gatewayToken = existing?.gatewayToken ?? generateSecret();
  const { secrets } = provisionScenario(scenario, { edgeId, secrets: existing?.devices });
  await writeFile(
    file,
    `${JSON.stringify({ edge: { edgeId, secret: edgeSecret }, gatewayToken, devices: secrets }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
  await chmod(file, 0o600);
  return {
    edgeId,
    edgeSecret,
    gatewayToken,
    deviceSecrets: secrets,
    file,
  };
}

/** Registers the scenario's village, sites, devices and box with the hashes of these credentials (idempotent). */
export function registerWithCredentials(registry: Registry, scenario: Scenario, creds: DemoCredentials): Promise<void> {
  return seedFromScenario(registry, scenario, {
    edgeId: creds.edgeId,
    edgeName: `Kotak desa ${scenario.village.name}`,
    edgeSecretHash: hashSecret(creds.edgeSecret),
    deviceSecretHashes: Object.fromEntries(Object.entries(creds.deviceSecrets).map(([k, v]) => [k, hashSecret(v)])),
  });
}

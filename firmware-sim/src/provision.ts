import { generateSecret, hashSecret } from '@lumbung/runtime';
import { type EdgeProvisioning, type Scenario, scenarioRules } from '@lumbung/schemas';

/**
 * Credentials and rules for playing a scenario against a village box: a secret per device (kept by
 * the simulator) and the edge's provisioning (hashes, sites, families, storage-room rules). Pass
 * `secrets` to keep existing ones; missing devices get a fresh 256-bit secret.
 */
export function provisionScenario(
  scenario: Scenario,
  opts: { edgeId: string; secrets?: Record<string, string>; forSeconds?: number },
): { secrets: Record<string, string>; provisioning: EdgeProvisioning } {
  const secrets: Record<string, string> = {};
  for (const d of scenario.devices) secrets[d.id] = opts.secrets?.[d.id] ?? generateSecret();
  return {
    secrets,
    provisioning: {
      villageId: scenario.village.id,
      edgeId: opts.edgeId,
      devices: scenario.devices.map((d) => ({
        deviceId: d.id,
        villageId: scenario.village.id,
        siteId: d.siteId,
        family: d.family,
        secretHash: hashSecret(secrets[d.id]!),
        revoked: false,
      })),
      rules: scenarioRules(scenario, { forSeconds: opts.forSeconds }),
    },
  };
}

import { Edge, edgeOptionsFromConfig, edgeSettings } from '@lumbung/edge';
import { createLogger, loadConfig } from '@lumbung/runtime';
import { parse } from '../args.ts';
import { resolvePort } from '../ports.ts';
import { runUntilSignal } from '../service.ts';

const USAGE = `lumbung edge
  Runs a village box: the MQTT broker for devices, the durable queue and the uplink to the gateway.
  Settings come from LUMBUNG_* variables (see \`lumbung config\`): LUMBUNG_CLOUD_URL with LUMBUNG_EDGE_ID and
  LUMBUNG_EDGE_SECRET pulls the devices and rules from the cloud (cached in DATA_DIR/edge), otherwise
  LUMBUNG_EDGE_PROVISIONING names their JSON file; LUMBUNG_UPLINK_URL names the gateway.`;

export async function edge(argv: string[]): Promise<number> {
  parse(argv, {}, USAGE);
  const c = loadConfig(edgeSettings);
  const { port } = await resolvePort(edgeSettings.mqttPort, c.mqttPort, process.env, c.mqttHost);
  const log = createLogger('edge');
  const opts = edgeOptionsFromConfig(c);
  const box = new Edge({ ...opts, mqtt: { ...opts.mqtt, port }, logger: log });
  return runUntilSignal([box], {
    onStarted: () =>
      log.info(
        {
          mqttPort: box.mqttPort,
          opsPort: box.opsPort,
          villageId: box.villageId,
          devices: box.provisioning?.devices.length,
          provisioning: box.provisioningSync?.source ?? 'file',
        },
        'edge ready',
      ),
  });
}

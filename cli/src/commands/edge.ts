import { Edge, edgeOptionsFromConfig, edgeSettings } from '@lumbung/edge';
import { createLogger, loadConfig } from '@lumbung/runtime';
import { parse } from '../args.ts';
import { resolvePort } from '../ports.ts';
import { runUntilSignal } from '../service.ts';

const USAGE = `lumbung edge
  Runs a village box: the MQTT broker for devices, the durable queue and the uplink to the gateway.
  Settings come from LUMBUNG_* variables (see \`lumbung config\`); LUMBUNG_EDGE_PROVISIONING names the
  JSON file of devices and rules, LUMBUNG_UPLINK_URL and LUMBUNG_EDGE_SECRET the gateway.`;

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
        { mqttPort: box.mqttPort, opsPort: box.opsPort, devices: opts.provisioning.devices.length },
        'edge ready',
      ),
  });
}

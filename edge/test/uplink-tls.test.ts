import { join } from 'node:path';
import { makeTestCertificates, opensslAvailable } from '@lumbung/runtime/testing';
import { describe, expect, it } from 'vitest';
import {
  cleanupAfterEach,
  connectDevice,
  endClient,
  FakeGateway,
  makeProvisioning,
  newEdge,
  publish,
  tempDir,
  upTopic,
  waitFor,
} from './helpers.ts';

const cleanups = cleanupAfterEach();

describe('uplink over TLS', () => {
  it.skipIf(!opensslAvailable)(
    'delivers batches over mqtts with the CA pinned, and refuses an unknown CA',
    async () => {
      const t = tempDir();
      cleanups.push(t.cleanup);
      const certs = makeTestCertificates(t.dir);
      const gw = new FakeGateway('edge-secret', 0, { key: certs.key, cert: certs.cert });
      await gw.start();
      cleanups.push(() => gw.stop());
      const p = makeProvisioning(1);
      const edge = newEdge(join(t.dir, 'data'), p.provisioning, {
        uplink: { url: `mqtts://127.0.0.1:${gw.port}`, password: 'edge-secret', ca: certs.ca, batchMaxDelayMs: 20 },
      });
      await edge.start();
      cleanups.push(() => edge.stop());
      await waitFor(() => edge.uplinkState === 'online', 5000, 'TLS uplink online');
      const c = await connectDevice(edge.mqttPort, p.devices[0]!);
      cleanups.push(() => endClient(c));
      await publish(c, upTopic(p.devices[0]!.deviceId), JSON.stringify({ seq: 1, readings: { co2: 420 } }));
      await waitFor(() => gw.readings.length === 1, 5000, 'reading over TLS');

      // without the CA the gateway certificate is not trusted: never online
      const other = newEdge(join(t.dir, 'data2'), p.provisioning, {
        mqtt: { host: '127.0.0.1', port: 0 },
        uplink: {
          url: `mqtts://127.0.0.1:${gw.port}`,
          password: 'edge-secret',
          reconnectMinMs: 50,
          reconnectMaxMs: 100,
        },
      });
      await other.start();
      cleanups.push(() => other.stop());
      await new Promise((r) => setTimeout(r, 500));
      expect(other.uplinkState).not.toBe('online');
    },
  );
});

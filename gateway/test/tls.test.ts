import { makeTestCertificates, opensslAvailable } from '@lumbung/runtime/testing';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { batchTopic, edge, makeBatch, publish, startHarness, tempDir } from './helpers.ts';

// Village boxes reach the gateway over the internet: the listener speaks MQTT over TLS when given a key and certificate.
describe('gateway over TLS', () => {
  it.skipIf(!opensslAvailable)(
    'stores batches sent over mqtts, and a box that does not trust the certificate cannot connect',
    async () => {
      const t = tempDir();
      const certs = makeTestCertificates(t.path);
      const e = edge('box-a', 'desa-a');
      const h = await startHarness([e], {
        mqtt: { host: '127.0.0.1', port: 0, tls: { key: certs.key, cert: certs.cert } },
      });
      const url = `mqtts://127.0.0.1:${h.gateway.mqttPort}`;
      const login = {
        username: e.edgeId,
        password: e.secret,
        clientId: 'box-a-tls',
        reconnectPeriod: 0,
        connectTimeout: 3000,
      };
      try {
        const c = await mqtt.connectAsync(url, { ...login, ca: certs.ca });
        const b = makeBatch(e.edgeId, 100, { devices: 4 });
        await publish(c, batchTopic(e), b.payload);
        expect(await h.count('desa-a')).toBe(100);
        await c.endAsync();
        await expect(mqtt.connectAsync(url, { ...login, clientId: 'box-a-untrusting' })).rejects.toThrow(
          /certificate/i,
        );
      } finally {
        await h.close();
        t.remove();
      }
    },
  );
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
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

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI. */
function makeCerts(dir: string) {
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=lumbung-test-ca',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('srv.key'),
    '-out',
    f('srv.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1' > ${f('ext.cnf')}`]);
  run([
    'x509',
    '-req',
    '-in',
    f('srv.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('srv.pem'),
    '-days',
    '1',
    '-extfile',
    f('ext.cnf'),
  ]);
  return { ca: readFileSync(f('ca.pem')), key: readFileSync(f('srv.key')), cert: readFileSync(f('srv.pem')) };
}

describe('uplink over TLS', () => {
  it.skipIf(!hasOpenssl)('delivers batches over mqtts with the CA pinned, and refuses an unknown CA', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const certs = makeCerts(t.dir);
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
      uplink: { url: `mqtts://127.0.0.1:${gw.port}`, password: 'edge-secret', reconnectMinMs: 50, reconnectMaxMs: 100 },
    });
    await other.start();
    cleanups.push(() => other.stop());
    await new Promise((r) => setTimeout(r, 500));
    expect(other.uplinkState).not.toBe('online');
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeProvisioningCode, ProvisioningError } from '../src/provisioning-client.ts';

// The device side of the exchange against a stand-in cloud on an ephemeral port.
describe('exchangeProvisioningCode', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  const cloud = async (answer: (req: IncomingMessage, body: string) => [number, unknown]) => {
    const seen: { url?: string; body?: string } = {};
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        Object.assign(seen, { url: req.url, body });
        const [status, json] = answer(req, body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  };

  it('posts the code in the body, never in the URL, and returns the credentials', async () => {
    const creds = {
      deviceId: 'taman-th-baru',
      villageId: 'kel-taman',
      secret: 's'.repeat(43),
      topics: { up: 'lumbung/v1/kel-taman/taman-th-baru/up', status: 'x/status', down: 'x/down' },
    };
    const c = await cloud(() => [200, creds]);
    expect(await exchangeProvisioningCode(c.url, '7K3QD-M9XAT')).toEqual(creds);
    expect(c.seen.url).toBe('/api/v1/provisioning/device');
    expect(JSON.parse(c.seen.body!)).toEqual({ code: '7K3QD-M9XAT' });
  });

  it('says why the cloud refused, with the status and the error code', async () => {
    const c = await cloud(() => [
      401,
      { code: 'LUMBUNG_ERR_PROVISIONING_CODE_INVALID', message: 'Wrong, used or expired' },
    ]);
    const err = await exchangeProvisioningCode(c.url, 'X').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisioningError);
    expect(err).toMatchObject({ status: 401, code: 'LUMBUNG_ERR_PROVISIONING_CODE_INVALID' });
    expect((err as Error).message).toMatch(
      /refused the provisioning code \(401 LUMBUNG_ERR_PROVISIONING_CODE_INVALID\)/,
    );
  });

  it('refuses an answer without credentials, and names an unreachable cloud', async () => {
    const c = await cloud(() => [200, { deviceId: 'x' }]);
    await expect(exchangeProvisioningCode(c.url, 'X')).rejects.toThrow(/sent no device credentials/);
    const gone = await exchangeProvisioningCode('http://127.0.0.1:9', 'X', { timeoutMs: 2000 }).catch(
      (e: unknown) => e,
    );
    expect(gone).toMatchObject({ name: 'ProvisioningError', status: undefined });
    expect((gone as Error).message).toMatch(/cannot reach the cloud at http:\/\/127\.0\.0\.1:9/);
  });
});

import { DeviceCredentials } from '@lumbung/schemas';
import mqtt from 'mqtt';

/** The cloud refused or could not be asked; `status` is the HTTP status (undefined: no answer). */
export class ProvisioningError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

/**
 * What a device does on its first start (docs/devices.md, "Provisioning"): it sends the one-time code its
 * village admin gave it to `POST {cloud}/api/v1/provisioning/device` and gets its MQTT secret and topics.
 * The code goes in the body, never in the URL; it works once, so the device must keep the secret.
 */
export async function exchangeProvisioningCode(
  cloudUrl: string,
  code: string,
  o: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<DeviceCredentials> {
  const url = new URL('/api/v1/provisioning/device', cloudUrl);
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ code }),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new ProvisioningError(`cannot reach the cloud at ${url.origin}: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
  if (!res.ok)
    throw new ProvisioningError(
      `the cloud at ${url.origin} refused the provisioning code (${res.status}${body?.code ? ` ${body.code}` : ''}): ${body?.message ?? res.statusText}`,
      res.status,
      body?.code,
    );
  const parsed = DeviceCredentials.safeParse(body);
  if (!parsed.success) throw new ProvisioningError(`the cloud at ${url.origin} sent no device credentials`, res.status);
  return parsed.data;
}

/**
 * After an exchange the village box admits the device only once it has polled the cloud for the new secret
 * (every 15 s by default, decision 0008): until then it answers "not authorised". Firmware retries; this
 * does the same, connecting and disconnecting until the box accepts the secret or `timeoutMs` passes.
 */
export async function waitUntilAdmitted(
  brokerUrl: string,
  deviceId: string,
  secret: string,
  o: { timeoutMs?: number; retryMs?: number } = {},
): Promise<number> {
  const started = Date.now();
  const deadline = started + (o.timeoutMs ?? 60_000);
  let last = '';
  while (Date.now() < deadline) {
    const outcome = await new Promise<string | undefined>((resolve) => {
      const client = mqtt.connect(brokerUrl, {
        clientId: deviceId,
        username: deviceId,
        password: secret,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 5000,
        protocolVersion: 4,
      });
      client.once('connect', () => {
        resolve(undefined);
        client.end();
      });
      client.once('error', (err) => client.end(true, {}, () => resolve(err.message)));
      client.once('close', () => resolve('connection closed'));
    });
    if (outcome === undefined) return Date.now() - started;
    last = outcome;
    await new Promise((r) => setTimeout(r, o.retryMs ?? 1000));
  }
  throw new ProvisioningError(
    `the village box at ${brokerUrl} did not admit device ${deviceId} within ${o.timeoutMs ?? 60_000} ms (${last})`,
  );
}

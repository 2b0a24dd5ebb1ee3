import { randomInt } from 'node:crypto';
import { generateSecret, hashSecret } from '@lumbung/runtime';
import {
  DeviceCredentials,
  DeviceId,
  DeviceRecord,
  DeviceRegistration,
  deviceTopic,
  normalizeProvisioningCode,
  PROVISIONING_CODE_ALPHABET,
  ProvisioningCodeIssued,
  ProvisioningCodeView,
  ProvisioningExchange,
  provisioningLink,
} from '@lumbung/schemas';
import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { RateLimiter } from '../auth/rate-limit.ts';
import type { AuthenticatedPrincipal } from '../auth/service.ts';
import { tokenHash } from '../auth/tokens.ts';
import { ApiFailure } from '../errors.ts';
import { RegistryError } from '../registry/port.ts';
import { type Api, baseUrlOf, errors, VillageParams, villageAccess } from './common.ts';

/** How long a provisioning code works: a day, enough to carry a sensor out to a plot and power it up. */
export const PROVISIONING_CODE_TTL_MS = 24 * 3_600_000;
/** Exchanges per address: a burst, then one every 2 s (a code is ~50 bits: guessing stays hopeless). */
export const EXCHANGE_LIMIT = { capacity: 30, refillPerSecond: 0.5 } as const;

const DeviceParams = VillageParams.extend({ deviceId: DeviceId });

/** Ten characters of Crockford base32 (50 bits), shown as two groups of five. */
export function newProvisioningCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += PROVISIONING_CODE_ALPHABET[randomInt(32)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** The stored form of a code: SHA-256 hex of its canonical form, so `7k3qd m9xat` finds `7K3QD-M9XAT`. */
export const provisioningCodeHash = (canonical: string): string => tokenHash(canonical);

/**
 * Device provisioning (issue 4): a village admin registers a device and gets a one-time code (and its QR);
 * the device exchanges the code, without signing in, for its MQTT secret; rotation issues a new code (the old
 * secret works until the device exchanges it) and revocation cuts the device off. The village box learns
 * every change on its next provisioning poll (decision 0008) and disconnects revoked or re-keyed devices.
 *
 * Codes never appear in URLs (they would sit in proxy and server logs): the exchange takes them in the body.
 */
export async function deviceRoutes(api: Api, deps: AppDeps): Promise<void> {
  const { registry } = deps;
  const accounts = registry.accounts;
  const now = () => deps.now?.() ?? Date.now();
  const limiter = new RateLimiter({ ...EXCHANGE_LIMIT, now });

  const auth = deps.auth;
  if (!auth) return;

  /** Cancels (marks used) the device's codes that still work, so only the newest code, or none, can be exchanged. */
  const cancelPendingCodes = async (villageId: string, deviceId: string, except?: string): Promise<number> => {
    const at = now();
    const pending = (await accounts.listProvisioningCodes(villageId)).filter(
      (c) => c.deviceId === deviceId && c.usedAt === null && c.expiresAt > at && c.id !== except,
    );
    let n = 0;
    for (const c of pending) if (await accounts.consumeProvisioningCode(c.codeHash, at)) n++;
    return n;
  };

  const issueCode = async (
    req: FastifyRequest,
    p: AuthenticatedPrincipal,
    device: DeviceRecord,
    purpose: 'register' | 'rotate',
  ): Promise<ProvisioningCodeIssued> => {
    const createdAt = now();
    const expiresAt = createdAt + PROVISIONING_CODE_TTL_MS;
    const draw = async () => {
      const code = newProvisioningCode();
      const record = await accounts.createProvisioningCode({
        villageId: device.villageId,
        deviceId: device.id,
        codeHash: provisioningCodeHash(normalizeProvisioningCode(code)!),
        createdAt,
        expiresAt,
        createdBy: p.userId,
      });
      return { code, record };
    };
    // A hash already in use means a pending code with the same 50 bits: draw again once.
    const { code, record } = await draw().catch((err: unknown) => {
      if (err instanceof RegistryError && err.kind === 'conflict') return draw();
      throw err;
    });
    const cancelled = await cancelPendingCodes(device.villageId, device.id, record.id);
    await auth.auditBy(p, req.ip, {
      action: 'device.credential_issued',
      villageId: device.villageId,
      targetType: 'device',
      targetId: device.id,
      details: { purpose, codeId: record.id, expiresAt, cancelledCodes: cancelled },
    });
    // LUMBUNG_PUBLIC_URL, or the base the admin reached this cloud at: the device's setup can reach it too.
    const provisioningUrl = provisioningLink(code, baseUrlOf(req, deps.publicUrl));
    const qrSvg = await QRCode.toString(provisioningUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { device, code, expiresAt, provisioningUrl, qrSvg };
  };

  const requireDevice = async (villageId: string, deviceId: string): Promise<DeviceRecord> => {
    const d = await registry.getDevice(villageId, deviceId);
    if (!d) throw new ApiFailure('LUMBUNG_ERR_DEVICE_NOT_FOUND', { deviceId });
    return d;
  };

  api.post(
    '/villages/:villageId/devices',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Register a device and issue its one-time provisioning code (and QR)',
        description:
          'Needs `device.manage`. The device has no usable secret (it shows as revoked) until it exchanges the code at `POST /provisioning/device`. The code works once, for 24 h; only its hash is kept.',
        params: VillageParams,
        body: DeviceRegistration,
        response: { 201: ProvisioningCodeIssued, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { villageId } = req.params;
      const { principal: p } = await villageAccess(req, registry, villageId, 'device.manage');
      const b = req.body;
      if (!(await registry.getSite(villageId, b.siteId)))
        throw new ApiFailure('LUMBUNG_ERR_SITE_NOT_FOUND', { siteId: b.siteId });
      if (await registry.getDevice(villageId, b.id))
        throw new ApiFailure('LUMBUNG_ERR_DEVICE_EXISTS', { deviceId: b.id });
      let device: DeviceRecord;
      try {
        device = await registry.upsertDevice({
          id: b.id,
          villageId,
          siteId: b.siteId,
          family: b.family,
          intervalSeconds: b.intervalSeconds,
          sensorHeight: b.sensorHeight ?? null,
          // No usable secret yet: the hash of a secret nobody keeps, and revoked until the first exchange.
          revoked: true,
          secretHash: hashSecret(generateSecret()),
        });
      } catch (err) {
        // The id belongs to a device of another village: ids are unique across the platform (MQTT client ids).
        if (err instanceof RegistryError && err.kind === 'conflict')
          throw new ApiFailure('LUMBUNG_ERR_DEVICE_EXISTS', { deviceId: b.id });
        throw err;
      }
      return reply.code(201).send(await issueCode(req, p, device, 'register'));
    },
  );

  api.post(
    '/villages/:villageId/devices/:deviceId/rotate',
    {
      schema: {
        tags: ['provisioning'],
        summary: "Issue a new provisioning code to replace a device's secret",
        description:
          'Needs `device.manage`. The current secret keeps working until the device exchanges the new code; earlier codes of the device that still work are cancelled. Also re-provisions a revoked device.',
        params: DeviceParams,
        response: { 201: ProvisioningCodeIssued, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { villageId, deviceId } = req.params;
      const { principal: p } = await villageAccess(req, registry, villageId, 'device.manage');
      const device = await requireDevice(villageId, deviceId);
      return reply.code(201).send(await issueCode(req, p, device, 'rotate'));
    },
  );

  api.post(
    '/villages/:villageId/devices/:deviceId/revoke',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Revoke a device: its village box refuses and disconnects it',
        description:
          'Needs `device.manage`. The village box learns it on its next provisioning poll (every 15 s by default) while it is online. Codes of the device that still work are cancelled; to bring the device back, rotate.',
        params: DeviceParams,
        response: { 200: DeviceRecord, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId, deviceId } = req.params;
      const { principal: p } = await villageAccess(req, registry, villageId, 'device.manage');
      await requireDevice(villageId, deviceId);
      // Codes first: a code exchanged after the revocation would un-revoke the device.
      const cancelled = await cancelPendingCodes(villageId, deviceId);
      await registry.setDeviceRevoked(villageId, deviceId, true);
      await auth.auditBy(p, req.ip, {
        action: 'device.revoked',
        villageId,
        targetType: 'device',
        targetId: deviceId,
        details: { cancelledCodes: cancelled },
      });
      return requireDevice(villageId, deviceId);
    },
  );

  api.get(
    '/villages/:villageId/provisioning-codes',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Provisioning codes of the village, newest first (never the codes themselves)',
        description: 'Needs `device.manage`.',
        params: VillageParams,
        querystring: z.object({ deviceId: DeviceId.optional() }),
        response: { 200: z.array(ProvisioningCodeView), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { villageId } = req.params;
      await villageAccess(req, registry, villageId, 'device.manage');
      const at = now();
      return (await accounts.listProvisioningCodes(villageId))
        .filter((c) => !req.query.deviceId || c.deviceId === req.query.deviceId)
        .map((c) => ({
          id: c.id,
          deviceId: c.deviceId,
          createdAt: c.createdAt,
          expiresAt: c.expiresAt,
          usedAt: c.usedAt,
          createdBy: c.createdBy,
          status:
            c.usedAt !== null ? ('used' as const) : c.expiresAt <= at ? ('expired' as const) : ('pending' as const),
        }));
    },
  );

  api.post(
    '/provisioning/device',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'A device exchanges its one-time provisioning code for its MQTT secret',
        description: `No sign-in: the code is the credential, and works once. A wrong, used or expired code is one 401; an address gets ${EXCHANGE_LIMIT.capacity} quick attempts, then one every ${1 / EXCHANGE_LIMIT.refillPerSecond} s (429). The secret replaces the device's previous one at its village box's next provisioning poll.`,
        body: ProvisioningExchange,
        response: { 200: DeviceCredentials, ...errors(400, 401, 413, 415, 429) },
      },
    },
    async (req) => {
      limiter.enforce(`ip:${req.ip}`);
      const canonical = normalizeProvisioningCode(req.body.code);
      const code = canonical
        ? await accounts.consumeProvisioningCode(provisioningCodeHash(canonical), now())
        : undefined;
      const device = code ? await registry.getDevice(code.villageId, code.deviceId) : undefined;
      if (!code || !device) {
        req.log.warn({ ip: req.ip }, 'provisioning code refused');
        throw new ApiFailure('LUMBUNG_ERR_PROVISIONING_CODE_INVALID');
      }
      const secret = generateSecret();
      await registry.setDeviceSecret(device.villageId, device.id, hashSecret(secret));
      if (device.revoked) await registry.setDeviceRevoked(device.villageId, device.id, false);
      await auth.auditBy(`device:${device.id}`, req.ip, {
        // A device that had a working secret gets a new one; a new (or revoked) device gets its first.
        action: device.revoked ? 'device.provisioned' : 'device.credential_rotated',
        villageId: device.villageId,
        targetType: 'device',
        targetId: device.id,
        details: { codeId: code.id },
      });
      return {
        deviceId: device.id,
        villageId: device.villageId,
        secret,
        topics: {
          up: deviceTopic(device.villageId, device.id, 'up'),
          status: deviceTopic(device.villageId, device.id, 'status'),
          down: deviceTopic(device.villageId, device.id, 'down'),
        },
      };
    },
  );
}

import { z } from 'zod';
import { Alert, AlertSeverity } from './alert.ts';
import { DeviceId, EdgeId, Id, VillageId } from './ids.ts';
import { AGGREGATIONS } from './query.ts';
import { ROLE_NAMES } from './roles.ts';
import { AllowedRange, Crop, ScenarioSiteId } from './scenario.ts';
import { RESERVED_DEVICE_IDS } from './topics.ts';

/**
 * The cloud HTTP API, version 1 (`/api/v1`): the records it returns and the queries it takes. The
 * registry (villages, sites, devices, edges) is the source of the credentials the gateway and the
 * village boxes use; alerts and device presence are kept here as they arrive from the gateway.
 */

const Localized = z.object({ id: z.string(), en: z.string() }).describe('Text in Bahasa Indonesia and English');
const EpochMs = z.number().int().describe('Epoch milliseconds, UTC');

export const KodeWilayah = z
  .string()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'Kemendagri code like 35.77.01.1001')
  .describe('Kemendagri area code (kode wilayah): province.regency.district.village');

export const VillageRecord = z.object({
  id: VillageId,
  name: z.string().min(1).max(120),
  kodeWilayah: KodeWilayah.nullable(),
  district: z.string().nullable().describe('Kecamatan'),
  regency: z.string().nullable().describe('Kabupaten or kota'),
  province: z.string().nullable(),
  timeZone: z.string().describe('IANA time zone, e.g. Asia/Jakarta'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  elevation: z.number().nullable().describe('Metres above sea level'),
});
export type VillageRecord = z.infer<typeof VillageRecord>;

export const SITE_KINDS = ['plot', 'storage_room', 'meter_point', 'weather', 'packing_house'] as const;
export const SiteKindName = z.enum(SITE_KINDS);
export type SiteKindName = z.infer<typeof SiteKindName>;

export const PlotDetails = z.object({
  crop: Crop,
  plantingDate: z.iso.date().describe('Local date of planting or transplanting'),
  areaM2: z.number().positive(),
  fieldCapacity: z.number().gt(0).lt(1).describe('m³/m³'),
  wiltingPoint: z.number().gt(0).lt(1).describe('m³/m³'),
  rootDepth: z.number().positive().max(3).describe('m'),
  water: z.enum(['flooded', 'irrigated', 'rainfed']),
  repeatEveryDays: z
    .number()
    .int()
    .min(60)
    .max(730)
    .optional()
    .describe('The crop is replanted this many days after each planting (182: two crops a year)'),
});
export type PlotDetails = z.infer<typeof PlotDetails>;

export const StorageRoomDetails = z.object({
  purpose: z.enum(['dry_goods', 'eggs', 'produce', 'other']),
  temperature: AllowedRange.describe('Allowed air temperature, °C'),
  humidity: AllowedRange.describe('Allowed relative humidity, %'),
});
export type StorageRoomDetails = z.infer<typeof StorageRoomDetails>;

export const MeterPointDetails = z.object({ measures: z.enum(['energy', 'water']) });
export type MeterPointDetails = z.infer<typeof MeterPointDetails>;

/** A site of a village: exactly the details block of its kind is present (plot, storageRoom or meterPoint). */
export const SiteRecord = z.object({
  id: ScenarioSiteId,
  villageId: VillageId,
  kind: SiteKindName,
  name: z.string().min(1).max(120),
  parentId: ScenarioSiteId.nullable(),
  plot: PlotDetails.nullable(),
  storageRoom: StorageRoomDetails.nullable(),
  meterPoint: MeterPointDetails.nullable(),
});
export type SiteRecord = z.infer<typeof SiteRecord>;

export const DeviceRecord = z.object({
  id: DeviceId,
  villageId: VillageId,
  siteId: ScenarioSiteId.nullable(),
  family: z.string().min(1).max(64),
  intervalSeconds: z.number().int().positive().describe('Reporting interval, s'),
  sensorHeight: z.number().positive().nullable().describe('Sensor height above ground, m'),
  revoked: z.boolean(),
});
export type DeviceRecord = z.infer<typeof DeviceRecord>;

export const EdgeRecord = z.object({
  id: EdgeId,
  villageId: VillageId,
  name: z.string().min(1).max(120),
  revoked: z.boolean(),
});
export type EdgeRecord = z.infer<typeof EdgeRecord>;

export const PRESENCE_STATES = ['online', 'offline', 'unknown'] as const;
export const PresenceState = z.enum(PRESENCE_STATES);
export type PresenceState = z.infer<typeof PresenceState>;

/** Presence as last reported on a status topic (device's own, forwarded by its village box). */
export const Presence = z.object({
  state: PresenceState,
  at: EpochMs.nullable().describe('When the state was reported'),
});
export type Presence = z.infer<typeof Presence>;

/** Health of a device: presence from the status topic, and last seen, battery and signal from its readings. */
export const DeviceHealth = z.object({
  deviceId: DeviceId,
  siteId: ScenarioSiteId.nullable(),
  family: z.string(),
  revoked: z.boolean(),
  state: PresenceState.describe('online/offline from the status topic; offline too when silent for 3 intervals'),
  stateAt: EpochMs.nullable(),
  lastSeen: EpochMs.nullable().describe('Timestamp of the newest reading'),
  stale: z.boolean().describe('No reading for more than 3 reporting intervals'),
  battery: z.number().nullable().describe('V, newest reading'),
  rssi: z.number().nullable().describe('dBm, newest reading'),
});
export type DeviceHealth = z.infer<typeof DeviceHealth>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/**
 * An alert as the cloud keeps it: one record per raise of a condition (`key`); the condition's clear
 * sets `clearedAt`. People move it from open to acknowledged to resolved.
 */
export const AlertRecord = z.object({
  id: z.string(),
  key: z.string(),
  villageId: VillageId,
  edgeId: EdgeId.nullable(),
  source: Alert.shape.source,
  severity: AlertSeverity,
  ruleId: z.string().nullable(),
  siteId: z.string().nullable(),
  deviceId: z.string().nullable(),
  metric: z.string().nullable(),
  value: z.number().nullable(),
  message: Localized,
  raisedAt: EpochMs,
  clearedAt: EpochMs.nullable().describe('When the condition ended; null while it lasts'),
  status: AlertStatus,
  acknowledgedAt: EpochMs.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: EpochMs.nullable(),
  resolvedBy: z.string().nullable(),
});
export type AlertRecord = z.infer<typeof AlertRecord>;

export const AlertsQuery = z.object({
  status: z
    .string()
    .optional()
    .describe('Comma-separated statuses (open, acknowledged, resolved); default open,acknowledged'),
  siteId: Id.optional(),
  deviceId: DeviceId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const AlertAction = z.object({
  by: z.string().min(1).max(120).optional().describe('Who did it (until sign-in exists, a name)'),
  note: z.string().max(1000).optional(),
});
export type AlertAction = z.infer<typeof AlertAction>;

export const SeriesQuery = z.object({
  siteId: Id.optional(),
  deviceId: DeviceId.optional(),
  metric: z.string().min(1).max(63).optional(),
});

/** A series: one metric of one device, with its unit and the site the device is on. */
export const SeriesRecord = z.object({
  deviceId: DeviceId,
  siteId: z.string().nullable(),
  metric: z.string(),
  unit: z.string(),
  lastTs: EpochMs,
});
export type SeriesRecord = z.infer<typeof SeriesRecord>;

export const LatestReading = z.object({
  deviceId: DeviceId,
  siteId: z.string().nullable(),
  metric: z.string(),
  unit: z.string(),
  ts: EpochMs,
  value: z.number(),
});
export type LatestReading = z.infer<typeof LatestReading>;

/** Most points (raw readings or buckets) one `readings` request returns. */
export const MAX_API_POINTS = 10_000;

const isoOrEpoch = z
  .string()
  .min(1)
  .describe('ISO 8601 time (2026-11-01T00:00:00+07:00) or epoch milliseconds')
  .transform((s, ctx) => {
    const n = /^-?\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'not a time: use ISO 8601 or epoch milliseconds' });
      return z.NEVER;
    }
    return n;
  });

/** A duration: `90s`, `15m`, `1h`, `1d`, or milliseconds. */
export const Duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'a duration such as 15m, 1h, 1d or milliseconds')
  .transform((s) => {
    const m = /^(\d+)(ms|s|m|h|d)?$/.exec(s)!;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms']!;
    return Number(m[1]) * unit;
  });

export const ReadingsRequest = z.object({
  deviceId: DeviceId,
  metric: z.string().min(1).max(63),
  from: isoOrEpoch,
  to: isoOrEpoch.optional().describe('Default now'),
  step: Duration.optional().describe('Bucket width; without it, raw readings'),
  agg: z
    .string()
    .regex(new RegExp(`^(${AGGREGATIONS.join('|')})(,(${AGGREGATIONS.join('|')}))*$`), 'avg,min,max,…')
    .optional()
    .describe(`With step: comma-separated aggregations of ${AGGREGATIONS.join(', ')} (default avg)`),
});

export const ReadingsResponse = z.object({
  deviceId: DeviceId,
  metric: z.string(),
  unit: z.string(),
  from: EpochMs,
  to: EpochMs,
  step: z.number().int().nullable().describe('Bucket width in ms, null for raw readings'),
  /** Raw: [ts, value]. Buckets: [ts, agg1, agg2, …] in the order of `aggs`, null where a bucket has no value. */
  aggs: z.array(z.string()),
  points: z.array(z.array(z.number().nullable())),
});
export type ReadingsResponse = z.infer<typeof ReadingsResponse>;

export const VillageSummary = VillageRecord.extend({
  sites: z.number().int(),
  devices: z.number().int(),
  devicesOnline: z.number().int(),
  openAlerts: z.number().int(),
});
export type VillageSummary = z.infer<typeof VillageSummary>;

export const ApiHealth = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.object({ provider: z.enum(['sqlite', 'postgresql']), ok: z.boolean() }),
  timeSeries: z.object({ store: z.string(), ok: z.boolean() }),
});
export type ApiHealth = z.infer<typeof ApiHealth>;

export const ApiError = z.object({
  code: z.string().describe('Stable code, LUMBUNG_ERR_…'),
  message: z.string().describe('In the language of Accept-Language (id or en)'),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/**
 * Server-sent events on `/api/v1/villages/:villageId/stream`: `readings` (newest value per series,
 * coalesced to at most one message a second), `alert` (an AlertRecord), `device` (a DeviceHealth change).
 */
export const StreamReadings = z.object({ readings: z.array(LatestReading) });
export type StreamReadings = z.infer<typeof StreamReadings>;

/** A phone number in E.164: "+", country code, number; up to 15 digits (+6281234567890). */
export const PhoneNumber = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'a phone number in E.164, e.g. +6281234567890');

/** A username as stored: 2–64 of a-z 0-9 . _ - (sign-in and new users accept any case; it is stored lowercase). */
export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a username is 2–64 of a-z 0-9 . _ -');

/** `POST /api/v1/auth/login`. */
export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** `POST /api/v1/auth/refresh`: a refresh token works once and is exchanged for a new pair. */
export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(200) });

export const OtpRequest = z.object({
  phone: PhoneNumber,
});
export const OtpVerify = OtpRequest.extend({ code: z.string().regex(/^\d{6}$/, 'six digits') });

export const MembershipView = z.object({
  role: z.string(),
  villageId: VillageId.nullable(),
  siteIds: z.array(z.string()),
});

export const SignedIn = z.object({
  accessToken: z.string().describe('Send as `Authorization: Bearer …`; valid for `expiresIn` seconds'),
  refreshToken: z.string().describe('Exchange at /auth/refresh for a new pair; works once'),
  expiresIn: z.number().int(),
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  memberships: z.array(MembershipView),
});
export type SignedIn = z.infer<typeof SignedIn>;

export const Me = z.object({
  user: z.object({ id: z.string(), username: z.string() }),
  memberships: z.array(MembershipView),
});

// ── Device provisioning (issue 4) ──

/**
 * `POST /api/v1/villages/:villageId/devices`: a new device. It has no usable secret (and shows as revoked)
 * until it exchanges the one-time provisioning code the answer carries.
 */
export const DeviceRegistration = z
  .object({
    id: DeviceId.refine((id) => !RESERVED_DEVICE_IDS.has(id), 'this id is reserved in the topic grammar'),
    family: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a family id such as weather_station'),
    siteId: ScenarioSiteId,
    intervalSeconds: z.number().int().min(10).max(86_400).describe('Reporting interval, s'),
    sensorHeight: z.number().positive().max(100).optional().describe('Sensor height above ground, m'),
  })
  .strict();
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;

/**
 * A one-time provisioning code in the form people type: ten characters of Crockford base32 (about 50
 * bits) in two groups, `7K3QD-M9XAT`. Case, spaces and dashes do not matter, and `I`/`L` read as `1`,
 * `O` as `0` (Crockford's decoding rules).
 */
export const PROVISIONING_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The code in canonical form (ten characters, no dash), or undefined if it cannot be one. */
export function normalizeProvisioningCode(input: string): string | undefined {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(s) ? s : undefined;
}

/** The QR payload and link a phone app or a device's setup page reads: `lumbung://provision?v=1&code=…&cloud=…`. */
export function provisioningLink(code: string, cloudBase: string): string {
  return `lumbung://provision?v=1&code=${encodeURIComponent(code)}&cloud=${encodeURIComponent(cloudBase)}`;
}

/** The answer to registering a device or rotating its credentials: the code is shown once, never again. */
export const ProvisioningCodeIssued = z.object({
  device: DeviceRecord,
  code: z.string().describe('One-time provisioning code (shown once; only its hash is kept), e.g. 7K3QD-M9XAT'),
  expiresAt: EpochMs.describe('The code works once, until this time (24 h)'),
  provisioningUrl: z.string().describe('The QR payload: lumbung://provision?v=1&code=…&cloud=<base URL of this cloud>'),
  qrSvg: z.string().describe('The provisioningUrl as a QR code, an SVG document'),
});
export type ProvisioningCodeIssued = z.infer<typeof ProvisioningCodeIssued>;

/** `POST /api/v1/provisioning/device`: no sign-in, the code is the credential. */
export const ProvisioningExchange = z.object({ code: z.string().min(1).max(64) }).strict();
export type ProvisioningExchange = z.infer<typeof ProvisioningExchange>;

/** What a device gets for its code: its MQTT credentials (username = client id = deviceId) and topics. */
export const DeviceCredentials = z.object({
  deviceId: DeviceId,
  villageId: VillageId,
  secret: z.string().describe('MQTT password for the village box; shown once, store it on the device'),
  topics: z.object({ up: z.string(), status: z.string(), down: z.string() }),
});
export type DeviceCredentials = z.infer<typeof DeviceCredentials>;

export const PROVISIONING_CODE_STATUSES = ['pending', 'used', 'expired'] as const;

/** A provisioning code as village admins see it: never the code itself. */
export const ProvisioningCodeView = z.object({
  id: z.string(),
  deviceId: DeviceId,
  createdAt: EpochMs,
  expiresAt: EpochMs,
  usedAt: EpochMs.nullable().describe('When it was exchanged, or cancelled by a newer code or a revocation'),
  createdBy: z.string().describe('User id of the village admin who issued it'),
  status: z.enum(PROVISIONING_CODE_STATUSES),
});
export type ProvisioningCodeView = z.infer<typeof ProvisioningCodeView>;

/** A role a village admin may give in their village (never platform_admin). */
export const VillageRoleInput = z.object({
  role: z.enum(ROLE_NAMES).exclude(['platform_admin']),
  siteIds: z.array(z.string().min(1).max(64)).max(200).default([]).describe("A farmer's own plots"),
});

export const VillageUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  roles: z.array(z.object({ role: z.string(), siteIds: z.array(z.string()) })),
});
export type VillageUser = z.infer<typeof VillageUser>;

export const NewVillageUser = z.object({
  username: z
    .string()
    .transform((u) => u.toLowerCase())
    .pipe(Username),
  displayName: z.string().trim().min(1).max(200),
  phone: PhoneNumber.optional(),
  roles: z.array(VillageRoleInput).min(1).max(6),
});

export const TemporaryPassword = z.object({
  user: VillageUser,
  temporaryPassword: z.string().describe('Shown once; the user changes it after signing in'),
});

export const AuditEvent = z.object({
  id: z.string(),
  at: z.number().int(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  success: z.boolean(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const NewApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(200),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const ApiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number().int(),
  expiresAt: z.number().int().nullable(),
  lastUsedAt: z.number().int().nullable(),
  revoked: z.boolean(),
});
export const NewApiTokenResponse = ApiTokenView.extend({
  token: z.string().describe('Shown once: send as `Authorization: Bearer …`'),
});

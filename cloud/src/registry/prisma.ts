import { verifySecret } from '@lumbung/runtime';
import {
  type Alert,
  type AlertRecord,
  type AlertStatus,
  type Crop,
  type DeviceCredential,
  DeviceRecord,
  type EdgeProvisioning,
  EdgeRecord,
  type GatewayProvisioning,
  PRESENCE_STATES,
  type PresenceState,
  SITE_KINDS,
  SiteRecord,
  type StorageRoomSite,
  scenarioRules,
  VillageRecord,
} from '@lumbung/schemas';
import { join, raw, sqltag as sql } from '@prisma/client/runtime/client';
import type {
  Alert as AlertRow,
  Device as DeviceRow,
  Edge as EdgeRow,
  PrismaClient,
  Site as SiteRow,
  Village as VillageRow,
} from '../../generated/prisma/sqlite/client.ts';
import type { Accounts } from './accounts.ts';
import { type DatabaseTarget, databaseTarget } from './database.ts';
import type { EcoStore } from './eco.ts';
import { migrateTarget } from './migrate.ts';
import { type Registry, RegistryError } from './port.ts';
import { PrismaAccounts } from './prisma-accounts.ts';
import { compare, nullableNum, prismaCode, translate as translateError, valid } from './prisma-common.ts';
import { PrismaEco } from './prisma-eco.ts';
import { PrismaSupply } from './prisma-supply.ts';
import type { SupplyStore } from './supply.ts';

/**
 * The registry on Prisma, for SQLite and PostgreSQL alike: both generated clients come from schemas with
 * the same models (test/registry-schema.test.ts), so one client type serves both.
 */
export class PrismaRegistry implements Registry {
  readonly provider: DatabaseTarget['provider'];
  /** Users, sessions, audit log and the rest of accounts, on the same client (usable between start and stop). */
  readonly accounts: Accounts;
  /** Products, lots, stock, orders, inspections and shipments (supply.ts), on the same client. */
  readonly supply: SupplyStore;
  /** Irrigation, indicator records and settings, CSR reports (eco.ts), on the same client. */
  readonly eco: EcoStore;
  #db: PrismaClient | undefined;

  constructor(private readonly target: DatabaseTarget) {
    this.provider = target.provider;
    this.accounts = new PrismaAccounts(() => this.#client);
    this.supply = new PrismaSupply(() => this.#client);
    this.eco = new PrismaEco(() => this.#client);
  }

  /** Migrates, then connects. */
  async start(): Promise<void> {
    if (this.#db) return;
    await migrateTarget(this.target);
    const db = await connect(this.target);
    try {
      await db.$connect();
    } catch (err) {
      await db.$disconnect().catch(() => {});
      throw err;
    }
    // Two overlapping start() calls: the second client is surplus.
    if (this.#db) await db.$disconnect();
    else this.#db = db;
  }

  async stop(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    await db?.$disconnect();
  }

  get #client(): PrismaClient {
    if (!this.#db) throw new Error('registry not started');
    return this.#db;
  }

  async ping(): Promise<boolean> {
    try {
      await this.#client.$queryRawUnsafe('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async listVillages(): Promise<VillageRecord[]> {
    return byId((await this.#client.village.findMany()).map(villageRecord));
  }

  async getVillage(villageId: string): Promise<VillageRecord | undefined> {
    const row = await this.#client.village.findUnique({ where: { id: villageId } });
    return row ? villageRecord(row) : undefined;
  }

  async upsertVillage(v: VillageRecord): Promise<VillageRecord> {
    const data = valid(VillageRecord, v, 'village');
    const { id, ...rest } = data;
    return villageRecord(await this.#client.village.upsert({ where: { id }, create: data, update: rest }));
  }

  async listSites(villageId: string, filter: { kind?: SiteRecord['kind'] } = {}): Promise<SiteRecord[]> {
    const rows = await this.#client.site.findMany({
      where: { villageId, ...(filter.kind ? { kind: filter.kind } : {}) },
    });
    // Sorted here, not in SQL: PostgreSQL's collation and SQLite's byte order disagree on "-" and "_".
    return rows
      .map(siteRecord)
      .sort((a, b) => SITE_KINDS.indexOf(a.kind) - SITE_KINDS.indexOf(b.kind) || compare(a.id, b.id));
  }

  async getSite(villageId: string, siteId: string): Promise<SiteRecord | undefined> {
    const row = await this.#client.site.findUnique({ where: { villageId_id: { villageId, id: siteId } } });
    return row ? siteRecord(row) : undefined;
  }

  async upsertSite(s: SiteRecord): Promise<SiteRecord> {
    const site = valid(SiteRecord, s, 'site');
    const details = { plot: site.plot, storage_room: site.storageRoom, meter_point: site.meterPoint };
    for (const [kind, block] of Object.entries(details))
      if ((block !== null) !== (kind === site.kind))
        throw new RegistryError(
          'invalid',
          `site ${site.id} is a ${site.kind}: ${block === null ? `its details are missing` : `it cannot have ${kind} details`}`,
        );
    if (site.parentId === site.id) throw new RegistryError('invalid', `site ${site.id} cannot be its own parent`);
    const db = this.#client;
    await this.#requireVillage(site.villageId);
    if (site.parentId !== null && !(await this.getSite(site.villageId, site.parentId)))
      throw new RegistryError(
        'not_found',
        `no site ${site.parentId} in village ${site.villageId} (parent of ${site.id})`,
      );
    const data = siteColumns(site);
    const row = await db.site
      .upsert({
        where: { villageId_id: { villageId: site.villageId, id: site.id } },
        create: { villageId: site.villageId, id: site.id, ...data },
        update: data,
      })
      .catch(translate(`site ${site.id}`));
    return siteRecord(row);
  }

  async listDevices(villageId: string, filter: { siteId?: string } = {}): Promise<DeviceRecord[]> {
    const rows = await this.#client.device.findMany({
      where: { villageId, ...(filter.siteId ? { siteId: filter.siteId } : {}) },
      select: DEVICE_COLUMNS,
    });
    return byId(rows.map(deviceRecord));
  }

  async getDevice(villageId: string, deviceId: string): Promise<DeviceRecord | undefined> {
    const row = await this.#client.device.findUnique({ where: { id: deviceId }, select: DEVICE_COLUMNS });
    return row && row.villageId === villageId ? deviceRecord(row) : undefined;
  }

  async upsertDevice(d: DeviceRecord & { secretHash: string }): Promise<DeviceRecord> {
    const device = valid(DeviceRecord, d, 'device');
    const secretHash = validHash(d.secretHash, `device ${device.id}`);
    const db = this.#client;
    const [owner, village, site] = await Promise.all([
      db.device.findUnique({ where: { id: device.id }, select: { villageId: true } }),
      db.village.findUnique({ where: { id: device.villageId }, select: { id: true } }),
      device.siteId === null
        ? null
        : db.site.findUnique({
            where: { villageId_id: { villageId: device.villageId, id: device.siteId } },
            select: { id: true },
          }),
    ]);
    if (owner && owner.villageId !== device.villageId)
      throw new RegistryError('conflict', `device ${device.id} belongs to village ${owner.villageId}`);
    if (!village) throw new RegistryError('not_found', `no village ${device.villageId}`);
    if (device.siteId !== null && !site)
      throw new RegistryError('not_found', `no site ${device.siteId} in village ${device.villageId}`);
    const { id, ...rest } = device;
    const row = await db.device
      .upsert({
        where: { id },
        create: { ...device, secretHash },
        update: { ...rest, secretHash },
        select: DEVICE_COLUMNS,
      })
      .catch(translate(`device ${id}`));
    return deviceRecord(row);
  }

  async setDeviceSecret(villageId: string, deviceId: string, secretHash: string): Promise<void> {
    const hash = validHash(secretHash, `device ${deviceId}`);
    const { count } = await this.#client.device.updateMany({
      where: { id: deviceId, villageId },
      data: { secretHash: hash },
    });
    if (count === 0) throw new RegistryError('not_found', `no device ${deviceId} in village ${villageId}`);
  }

  async setDeviceRevoked(villageId: string, deviceId: string, revoked: boolean): Promise<void> {
    const { count } = await this.#client.device.updateMany({ where: { id: deviceId, villageId }, data: { revoked } });
    if (count === 0) throw new RegistryError('not_found', `no device ${deviceId} in village ${villageId}`);
  }

  async listEdges(villageId: string): Promise<EdgeRecord[]> {
    return byId((await this.#client.edge.findMany({ where: { villageId }, select: EDGE_COLUMNS })).map(edgeRecord));
  }

  async getEdge(edgeId: string): Promise<EdgeRecord | undefined> {
    const row = await this.#client.edge.findUnique({ where: { id: edgeId }, select: EDGE_COLUMNS });
    return row ? edgeRecord(row) : undefined;
  }

  async upsertEdge(e: EdgeRecord & { secretHash: string }): Promise<EdgeRecord> {
    const edge = valid(EdgeRecord, e, 'edge');
    const secretHash = validHash(e.secretHash, `edge ${edge.id}`);
    const db = this.#client;
    const owner = await db.edge.findUnique({ where: { id: edge.id }, select: { villageId: true } });
    if (owner && owner.villageId !== edge.villageId)
      throw new RegistryError('conflict', `edge ${edge.id} belongs to village ${owner.villageId}`);
    await this.#requireVillage(edge.villageId);
    const { id, ...rest } = edge;
    const row = await db.edge
      .upsert({
        where: { id },
        create: { ...edge, secretHash },
        update: { ...rest, secretHash },
        select: EDGE_COLUMNS,
      })
      .catch(translate(`edge ${id}`));
    return edgeRecord(row);
  }

  async setEdgeRevoked(edgeId: string, revoked: boolean): Promise<void> {
    const { count } = await this.#client.edge.updateMany({ where: { id: edgeId }, data: { revoked } });
    if (count === 0) throw new RegistryError('not_found', `no edge ${edgeId}`);
  }

  async edgeProvisioning(edgeId: string): Promise<EdgeProvisioning | undefined> {
    const db = this.#client;
    const edge = await db.edge.findUnique({ where: { id: edgeId }, select: { villageId: true } });
    if (!edge) return undefined;
    const { villageId } = edge;
    const [devices, rooms] = await Promise.all([
      db.device.findMany({
        where: { villageId },
        select: { id: true, siteId: true, family: true, secretHash: true, revoked: true },
      }),
      db.site.findMany({ where: { villageId, kind: 'storage_room' } }),
    ]);
    return {
      villageId,
      edgeId,
      devices: devices
        .map(
          (d): DeviceCredential => ({
            deviceId: d.id,
            villageId,
            ...(d.siteId !== null ? { siteId: d.siteId } : {}),
            family: d.family,
            secretHash: d.secretHash,
            revoked: d.revoked,
          }),
        )
        .sort((a, b) => compare(a.deviceId, b.deviceId)),
      rules: scenarioRules({
        sites: rooms
          .map(siteRecord)
          .sort((a, b) => compare(a.id, b.id))
          .map(storageRoomSite),
      }),
    };
  }

  async gatewayProvisioning(): Promise<GatewayProvisioning> {
    const edges = await this.#client.edge.findMany({
      select: { id: true, villageId: true, secretHash: true, revoked: true },
    });
    return {
      edges: edges
        .map((e) => ({ edgeId: e.id, villageId: e.villageId, secretHash: e.secretHash, revoked: e.revoked }))
        .sort((a, b) => compare(a.edgeId, b.edgeId)),
    };
  }

  async verifyEdgeSecret(edgeId: string, secret: string): Promise<boolean> {
    const edge = await this.#client.edge.findUnique({
      where: { id: edgeId },
      select: { secretHash: true, revoked: true },
    });
    return edge !== null && !edge.revoked && verifySecret(secret, edge.secretHash);
  }

  async setPresence(
    kind: 'device' | 'edge',
    updates: readonly { id: string; state: PresenceState; at: number }[],
  ): Promise<void> {
    if (updates.length === 0) return;
    for (const u of updates) {
      if (!PRESENCE_STATES.includes(u.state))
        throw new RegistryError('invalid', `presence of ${u.id}: unknown state ${String(u.state)}`);
      epochMs(u.at, `presence of ${u.id}`);
    }
    // Newest report per id: one UPDATE … FROM cannot take two rows for the same target row.
    const newest = new Map<string, { id: string; state: PresenceState; at: number }>();
    for (const u of updates) if ((newest.get(u.id)?.at ?? -Infinity) <= u.at) newest.set(u.id, u);
    const table = raw(kind === 'device' ? 'devices' : 'edges');
    const rows = [...newest.values()];
    // One statement per 500 reports (a village's power cut ends in hundreds), not one each: the
    // condition on presence_at keeps a late, older report from overwriting a newer one. UPDATE … FROM
    // (VALUES …) reads the same in SQLite (3.33+) and PostgreSQL, whose VALUES columns are column1….
    for (let i = 0; i < rows.length; i += 500) {
      const values = join(
        rows.slice(i, i + 500).map((u) => sql`(${u.id}, ${u.state}, CAST(${BigInt(u.at)} AS BIGINT))`),
      );
      await this.#client.$executeRaw`UPDATE ${table} SET presence_state = v.column2, presence_at = v.column3
        FROM (VALUES ${values}) AS v
        WHERE ${table}.id = v.column1 AND (${table}.presence_at IS NULL OR ${table}.presence_at <= v.column3)`;
    }
  }

  async presence(
    kind: 'device' | 'edge',
    villageId: string,
  ): Promise<Map<string, { state: PresenceState; at: number }>> {
    const query = {
      where: { villageId, presenceAt: { not: null } },
      select: { id: true, presenceState: true, presenceAt: true },
    } as const;
    const db = this.#client;
    const rows = kind === 'device' ? await db.device.findMany(query) : await db.edge.findMany(query);
    return new Map(
      rows.map((r) => [r.id, { state: r.presenceState as PresenceState, at: Number(r.presenceAt as bigint) }]),
    );
  }

  async recordAlert(a: Alert): Promise<AlertRecord | undefined> {
    const ts = epochMs(a.ts, `alert ${a.id}`);
    const db = this.#client;
    if (a.state === 'cleared') {
      // A clear that arrives after a newer raise of the same condition belongs to an older one.
      const open = await db.alert.findFirst({
        where: { villageId: a.villageId, key: a.key, clearedAt: null, raisedAt: { lte: ts } },
        orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
      });
      if (!open) return undefined;
      const { count } = await db.alert.updateMany({ where: { id: open.id, clearedAt: null }, data: { clearedAt: ts } });
      return count === 0 ? undefined : alertRecord({ ...open, clearedAt: ts });
    }
    // A raise is new unless this very event was stored before (the gateway delivers at least once) or
    // the condition is still going and nobody has closed it.
    const seen = await db.alert.findFirst({
      where: {
        OR: [
          { id: a.id },
          { villageId: a.villageId, key: a.key, clearedAt: null, status: { in: ['open', 'acknowledged'] } },
        ],
      },
      select: { id: true },
    });
    if (seen) return undefined;
    try {
      return alertRecord(
        await db.alert.create({
          data: {
            id: a.id,
            key: a.key,
            villageId: a.villageId,
            edgeId: a.edgeId ?? null,
            source: a.source,
            severity: a.severity,
            ruleId: a.ruleId ?? null,
            siteId: a.siteId ?? null,
            deviceId: a.deviceId ?? null,
            metric: a.metric ?? null,
            value: a.value ?? null,
            messageId: a.message.id,
            messageEn: a.message.en,
            raisedAt: ts,
          },
        }),
      );
    } catch (err) {
      // The same event from two deliveries at once: the loser is the duplicate.
      if (prismaCode(err) === 'P2002') return undefined;
      throw translate(`alert ${a.id} of village ${a.villageId}`)(err);
    }
  }

  async listAlerts(
    villageId: string,
    q: { status?: readonly AlertStatus[]; siteId?: string; deviceId?: string; limit: number },
  ): Promise<AlertRecord[]> {
    const rows = await this.#client.alert.findMany({
      where: {
        villageId,
        ...(q.status ? { status: { in: [...q.status] } } : {}),
        ...(q.siteId ? { siteId: q.siteId } : {}),
        ...(q.deviceId ? { deviceId: q.deviceId } : {}),
      },
      orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
      take: q.limit,
    });
    return rows.map(alertRecord);
  }

  async getAlert(villageId: string, alertId: string): Promise<AlertRecord | undefined> {
    const row = await this.#client.alert.findUnique({ where: { id: alertId } });
    return row && row.villageId === villageId ? alertRecord(row) : undefined;
  }

  async updateAlertStatus(
    villageId: string,
    alertId: string,
    to: 'acknowledged' | 'resolved',
    by: string,
    at: number,
  ): Promise<AlertRecord | undefined> {
    const when = epochMs(at, `alert ${alertId}`);
    const db = this.#client;
    const row = await db.alert.findUnique({ where: { id: alertId } });
    if (!row || row.villageId !== villageId) return undefined;
    if (!(row.status === 'open' || (row.status === 'acknowledged' && to === 'resolved')))
      throw new RegistryError('conflict', `alert ${alertId} is ${row.status}: it cannot become ${to}`);
    const data =
      to === 'acknowledged'
        ? { status: to, acknowledgedAt: when, acknowledgedBy: by }
        : { status: to, resolvedAt: when, resolvedBy: by };
    // Compare-and-set on the status read above: of two people acting at once, the second gets a conflict.
    const { count } = await db.alert.updateMany({ where: { id: alertId, status: row.status }, data });
    if (count === 0) throw new RegistryError('conflict', `alert ${alertId} was changed meanwhile`);
    return alertRecord({ ...row, ...data });
  }

  async countOpenAlerts(villageId: string): Promise<number> {
    return this.#client.alert.count({ where: { villageId, status: 'open' } });
  }

  async #requireVillage(villageId: string): Promise<void> {
    const v = await this.#client.village.findUnique({ where: { id: villageId }, select: { id: true } });
    if (!v) throw new RegistryError('not_found', `no village ${villageId}`);
  }
}

/** Opens (does not start) the registry that LUMBUNG_DATABASE_URL names; see `databaseTarget`. */
export function openRegistry(opts: { url?: string | undefined; dataDir: string }): PrismaRegistry {
  return new PrismaRegistry(databaseTarget(opts.url, opts.dataDir));
}

/**
 * Each provider's client is loaded on first use only: a SQLite installation never loads the
 * PostgreSQL client or its query compiler.
 */
async function connect(target: DatabaseTarget): Promise<PrismaClient> {
  if (target.provider === 'sqlite') {
    const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import('../../generated/prisma/sqlite/client.ts'),
      import('@prisma/adapter-better-sqlite3'),
    ]);
    return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.file, timeout: 10_000 }) });
  }
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import('../../generated/prisma/postgresql/client.ts'),
    import('@prisma/adapter-pg'),
  ]);
  const adapter = new PrismaPg(
    { connectionString: target.connectionString, options: `-c search_path="${target.schema}"` },
    { schema: target.schema },
  );
  // Same models, so the same client API: the PostgreSQL client differs only in its generated types' origin.
  return new PrismaClient({ adapter }) as unknown as PrismaClient;
}

const DEVICE_COLUMNS = {
  id: true,
  villageId: true,
  siteId: true,
  family: true,
  intervalSeconds: true,
  sensorHeight: true,
  revoked: true,
} as const;

const EDGE_COLUMNS = { id: true, villageId: true, name: true, revoked: true } as const;

type DeviceColumns = Pick<DeviceRow, keyof typeof DEVICE_COLUMNS>;
type EdgeColumns = Pick<EdgeRow, keyof typeof EDGE_COLUMNS>;

const villageRecord = (r: VillageRow): VillageRecord => ({
  id: r.id,
  name: r.name,
  kodeWilayah: r.kodeWilayah,
  district: r.district,
  regency: r.regency,
  province: r.province,
  timeZone: r.timeZone,
  latitude: r.latitude,
  longitude: r.longitude,
  elevation: r.elevation,
});

const deviceRecord = (r: DeviceColumns): DeviceRecord => ({
  id: r.id,
  villageId: r.villageId,
  siteId: r.siteId,
  family: r.family,
  intervalSeconds: r.intervalSeconds,
  sensorHeight: r.sensorHeight,
  revoked: r.revoked,
});

const edgeRecord = (r: EdgeColumns): EdgeRecord => ({
  id: r.id,
  villageId: r.villageId,
  name: r.name,
  revoked: r.revoked,
});

/** A site's detail columns; those of the other kinds are written as null, so a change of kind leaves nothing behind. */
function siteColumns(s: SiteRecord) {
  return {
    kind: s.kind,
    name: s.name,
    parentId: s.parentId,
    crop: s.plot?.crop ?? null,
    plantingDate: s.plot?.plantingDate ?? null,
    repeatEveryDays: s.plot?.repeatEveryDays ?? null,
    areaM2: s.plot?.areaM2 ?? null,
    fieldCapacity: s.plot?.fieldCapacity ?? null,
    wiltingPoint: s.plot?.wiltingPoint ?? null,
    rootDepth: s.plot?.rootDepth ?? null,
    water: s.plot?.water ?? null,
    purpose: s.storageRoom?.purpose ?? null,
    temperatureMin: s.storageRoom?.temperature.min ?? null,
    temperatureMax: s.storageRoom?.temperature.max ?? null,
    humidityMin: s.storageRoom?.humidity.min ?? null,
    humidityMax: s.storageRoom?.humidity.max ?? null,
    measures: s.meterPoint?.measures ?? null,
  };
}

const range = (min: number | null, max: number | null): { min?: number; max?: number } => ({
  ...(min !== null ? { min } : {}),
  ...(max !== null ? { max } : {}),
});

function siteRecord(r: SiteRow): SiteRecord {
  return {
    id: r.id,
    villageId: r.villageId,
    kind: r.kind as SiteRecord['kind'],
    name: r.name,
    parentId: r.parentId,
    plot:
      r.kind === 'plot'
        ? {
            crop: r.crop as Crop,
            plantingDate: r.plantingDate!,
            areaM2: r.areaM2!,
            fieldCapacity: r.fieldCapacity!,
            wiltingPoint: r.wiltingPoint!,
            rootDepth: r.rootDepth!,
            water: r.water as 'flooded' | 'irrigated' | 'rainfed',
            ...(r.repeatEveryDays !== null ? { repeatEveryDays: r.repeatEveryDays } : {}),
          }
        : null,
    storageRoom:
      r.kind === 'storage_room'
        ? {
            purpose: r.purpose as 'dry_goods' | 'eggs' | 'produce' | 'other',
            temperature: range(r.temperatureMin, r.temperatureMax),
            humidity: range(r.humidityMin, r.humidityMax),
          }
        : null,
    meterPoint: r.kind === 'meter_point' ? { measures: r.measures as 'energy' | 'water' } : null,
  };
}

/** A storage room as the scenario describes it, which is what `scenarioRules` reads. */
function storageRoomSite(s: SiteRecord): StorageRoomSite {
  const room = s.storageRoom!;
  return {
    id: s.id,
    name: s.name,
    kind: 'storage_room',
    ...(s.parentId !== null ? { parentId: s.parentId } : {}),
    purpose: room.purpose,
    temperature: room.temperature,
    humidity: room.humidity,
  };
}

const alertRecord = (r: AlertRow): AlertRecord => ({
  id: r.id,
  key: r.key,
  villageId: r.villageId,
  edgeId: r.edgeId,
  source: r.source as AlertRecord['source'],
  severity: r.severity as AlertRecord['severity'],
  ruleId: r.ruleId,
  siteId: r.siteId,
  deviceId: r.deviceId,
  metric: r.metric,
  value: r.value,
  message: { id: r.messageId, en: r.messageEn },
  raisedAt: Number(r.raisedAt),
  clearedAt: nullableNum(r.clearedAt),
  status: r.status as AlertStatus,
  acknowledgedAt: nullableNum(r.acknowledgedAt),
  acknowledgedBy: r.acknowledgedBy,
  resolvedAt: nullableNum(r.resolvedAt),
  resolvedBy: r.resolvedBy,
});

const byId = <T extends { id: string }>(rows: T[]): T[] => rows.sort((a, b) => compare(a.id, b.id));

function validHash(hash: string, what: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(hash))
    throw new RegistryError('invalid', `${what}: the secret hash must be sha256:<64 hex digits> (runtime hashSecret)`);
  return hash;
}

function epochMs(ms: number, what: string): bigint {
  if (!Number.isSafeInteger(ms)) throw new RegistryError('invalid', `${what}: time must be whole epoch milliseconds`);
  return BigInt(ms);
}

/** The registry's wording for Prisma's errors (prisma-common.ts `translate`). */
const translate = (what: string) =>
  translateError(what, `${what} already exists`, `${what} refers to a village or site that does not exist`);

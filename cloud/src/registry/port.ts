import type {
  Alert,
  AlertRecord,
  AlertStatus,
  DeviceRecord,
  EdgeProvisioning,
  EdgeRecord,
  GatewayProvisioning,
  PresenceState,
  SiteRecord,
  VillageRecord,
} from '@lumbung/schemas';
import type { Accounts } from './accounts.ts';
import type { EcoStore } from './eco.ts';
import type { SupplyStore } from './supply.ts';

/**
 * The registry: villages, their sites, devices and village boxes (edges), the credentials the gateway
 * and the edges are provisioned with, device and edge presence, and alerts. One port, two adapters
 * (Prisma on SQLite and on PostgreSQL), one contract suite (cloud/test/registry.contract.ts).
 *
 * Secrets never enter the registry: callers pass `sha256:` hashes (runtime `hashSecret`).
 * Writes check their record against its schema (`RegistryError('invalid')`); lists are in byte order
 * of their ids, the same on both databases.
 */
export interface Registry {
  readonly provider: 'sqlite' | 'postgresql';
  /** Users, roles, sessions, tokens, the audit log (accounts.ts), on the same database. */
  readonly accounts: Accounts;
  /** Products, cooperatives, producers, lots, stock, orders, inspections, shipments (supply.ts). */
  readonly supply: SupplyStore;
  /** Irrigation applied, indicator records and settings, CSR reports (eco.ts). */
  readonly eco: EcoStore;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A cheap round trip to the database, for /health. */
  ping(): Promise<boolean>;

  listVillages(): Promise<VillageRecord[]>;
  getVillage(villageId: string): Promise<VillageRecord | undefined>;
  upsertVillage(v: VillageRecord): Promise<VillageRecord>;

  /** Sites of a village in a stable order: kind as in `SITE_KINDS` (plot first), then id. */
  listSites(villageId: string, filter?: { kind?: SiteRecord['kind'] }): Promise<SiteRecord[]>;
  getSite(villageId: string, siteId: string): Promise<SiteRecord | undefined>;
  /**
   * Creates or replaces a site; throws `RegistryError('not_found')` for an unknown village or parent, and
   * `invalid` unless exactly the details block of its kind is present.
   */
  upsertSite(s: SiteRecord): Promise<SiteRecord>;

  listDevices(villageId: string, filter?: { siteId?: string }): Promise<DeviceRecord[]>;
  /** Device ids are unique across the platform: `villageId` scopes the lookup (another village's device is undefined). */
  getDevice(villageId: string, deviceId: string): Promise<DeviceRecord | undefined>;
  /**
   * Creates or replaces a device with the hash of its secret (its presence stays); throws
   * `RegistryError('conflict')` if the id belongs to another village, `not_found` for an unknown village or site.
   */
  upsertDevice(d: DeviceRecord & { secretHash: string }): Promise<DeviceRecord>;
  /** Throws `RegistryError('not_found')` for a device that is not in that village. */
  setDeviceSecret(villageId: string, deviceId: string, secretHash: string): Promise<void>;
  /** Throws `RegistryError('not_found')` for a device that is not in that village. */
  setDeviceRevoked(villageId: string, deviceId: string, revoked: boolean): Promise<void>;

  listEdges(villageId: string): Promise<EdgeRecord[]>;
  getEdge(edgeId: string): Promise<EdgeRecord | undefined>;
  /** Like `upsertDevice`: `conflict` if the id belongs to another village, `not_found` for an unknown village. */
  upsertEdge(e: EdgeRecord & { secretHash: string }): Promise<EdgeRecord>;
  /** Throws `RegistryError('not_found')` for an unknown edge. */
  setEdgeRevoked(edgeId: string, revoked: boolean): Promise<void>;

  /**
   * What a village box is provisioned with: its village's devices (with hashes, revoked ones marked) and
   * the storage-room threshold rules (`scenarioRules`); undefined for an unknown edge.
   */
  edgeProvisioning(edgeId: string): Promise<EdgeProvisioning | undefined>;
  /** What the gateway is provisioned with: every edge with its hash. */
  gatewayProvisioning(): Promise<GatewayProvisioning>;
  /** Checks an edge's secret against its stored hash (constant time); false for unknown or revoked edges. */
  verifyEdgeSecret(edgeId: string, secret: string): Promise<boolean>;

  /**
   * Presence of devices as last reported (status topic). A report older than the stored one is ignored;
   * of several for one id in a call, the newest counts; unknown ids are ignored.
   */
  setPresence(
    kind: 'device' | 'edge',
    updates: readonly { id: string; state: PresenceState; at: number }[],
  ): Promise<void>;
  /** Only ids that have had a report. */
  presence(kind: 'device' | 'edge', villageId: string): Promise<Map<string, { state: PresenceState; at: number }>>;

  /**
   * Records an alert event from the gateway. A `raised` event opens a record unless one for the same key
   * is already open and not cleared (then it is a duplicate: undefined). A `cleared` event sets
   * `clearedAt` on the newest uncleared record of that key. Returns the record created or changed.
   *
   * In detail: the record's id is the raise event's id, and a raise whose id is stored already is a
   * redelivery (undefined). "Open" counts acknowledged too: a raise while the village's record of that
   * key is open or acknowledged and uncleared is a duplicate; after a resolve, a raise opens a new record.
   * Keys are per village. A clear goes to the newest uncleared record raised at or before its `ts`, so a
   * late clear never closes a newer raise. Throws `RegistryError('not_found')` for an unknown village.
   */
  recordAlert(a: Alert): Promise<AlertRecord | undefined>;
  /** Newest raise first; without `status`, every status. */
  listAlerts(
    villageId: string,
    q: { status?: readonly AlertStatus[]; siteId?: string; deviceId?: string; limit: number },
  ): Promise<AlertRecord[]>;
  getAlert(villageId: string, alertId: string): Promise<AlertRecord | undefined>;
  /**
   * open → acknowledged, or → resolved; returns the updated record, undefined if not found in that village.
   * Any other transition (or a change by someone else meanwhile) throws `RegistryError('conflict')`.
   */
  updateAlertStatus(
    villageId: string,
    alertId: string,
    to: 'acknowledged' | 'resolved',
    by: string,
    at: number,
  ): Promise<AlertRecord | undefined>;
  /** Alerts in status open (not acknowledged ones). */
  countOpenAlerts(villageId: string): Promise<number>;
}

/** `unavailable`: the database cannot be reached (start-up, migrations). */
export type RegistryErrorKind = 'not_found' | 'conflict' | 'invalid' | 'unavailable';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

import type { Scenario, Site, SiteRecord, VillageRecord } from '@lumbung/schemas';
import type { Registry } from './port.ts';

export interface SeedOptions {
  edgeId: string;
  edgeName: string;
  /** `sha256:` hash of the edge's secret (runtime `hashSecret`). */
  edgeSecretHash: string;
  /** `sha256:` hash of each device's secret, by device id; every device of the scenario needs one. */
  deviceSecretHashes: Readonly<Record<string, string>>;
}

/**
 * Puts a simulator scenario's village, sites, devices and village box into the registry (the demo's
 * starting point). Idempotent: the village and sites are written again; devices and the box only when
 * missing, so a restarted demo keeps revocations, rotated secrets, alerts and presence. Parents go in
 * before their children.
 */
export async function seedFromScenario(registry: Registry, scenario: Scenario, opts: SeedOptions): Promise<void> {
  const villageId = scenario.village.id;
  const missing = scenario.devices.filter((d) => opts.deviceSecretHashes[d.id] === undefined).map((d) => d.id);
  if (missing.length > 0) throw new Error(`seedFromScenario: no secret hash for device(s) ${missing.join(', ')}`);

  await registry.upsertVillage(villageRecord(scenario.village));
  for (const site of parentsFirst(scenario.sites)) await registry.upsertSite(siteRecord(villageId, site));
  // Devices and boxes already registered are left as they are: after the first start the registry is the
  // source of truth (a device revoked or re-provisioned through the API must stay so across restarts).
  for (const d of scenario.devices) {
    if (await registry.getDevice(villageId, d.id)) continue;
    await registry.upsertDevice({
      id: d.id,
      villageId,
      siteId: d.siteId,
      family: d.family,
      intervalSeconds: d.intervalSeconds,
      sensorHeight: d.sensorHeight ?? null,
      revoked: false,
      secretHash: opts.deviceSecretHashes[d.id]!,
    });
  }
  if (await registry.getEdge(opts.edgeId)) return;
  await registry.upsertEdge({
    id: opts.edgeId,
    villageId,
    name: opts.edgeName,
    revoked: false,
    secretHash: opts.edgeSecretHash,
  });
}

export function villageRecord(v: Scenario['village']): VillageRecord {
  return {
    id: v.id,
    name: v.name,
    kodeWilayah: v.kodeWilayah ?? null,
    district: v.district,
    regency: v.regency,
    province: v.province ?? null,
    timeZone: v.timezone,
    latitude: v.latitude,
    longitude: v.longitude,
    elevation: v.elevation,
  };
}

/** The registry keeps what the cloud uses of a site; simulator-only fields (soil saturation, climate control, irrigation schedule) stay in the scenario. */
export function siteRecord(villageId: string, s: Site): SiteRecord {
  const base = { id: s.id, villageId, kind: s.kind, name: s.name, parentId: s.parentId ?? null };
  const none = { plot: null, storageRoom: null, meterPoint: null };
  switch (s.kind) {
    case 'plot':
      return {
        ...base,
        ...none,
        plot: {
          crop: s.crop,
          plantingDate: s.plantingDate,
          areaM2: s.areaM2,
          fieldCapacity: s.soil.fieldCapacity,
          wiltingPoint: s.soil.wiltingPoint,
          rootDepth: s.soil.rootDepth,
          water: s.water,
          ...(s.repeatEveryDays !== undefined ? { repeatEveryDays: s.repeatEveryDays } : {}),
        },
      };
    case 'storage_room':
      return {
        ...base,
        ...none,
        storageRoom: { purpose: s.purpose, temperature: s.temperature, humidity: s.humidity },
      };
    case 'meter_point':
      return { ...base, ...none, meterPoint: { measures: s.measures } };
    case 'weather':
    case 'packing_house':
      return { ...base, ...none };
  }
}

/** The scenario may list a room before its packing house; the registry needs the parent first. */
function parentsFirst(sites: readonly Site[]): Site[] {
  const byId = new Map(sites.map((s) => [s.id, s]));
  const out: Site[] = [];
  const placed = new Set<string>();
  const place = (s: Site, depth: number): void => {
    if (placed.has(s.id) || depth > sites.length) return;
    const parent = s.parentId === undefined ? undefined : byId.get(s.parentId);
    if (parent) place(parent, depth + 1);
    placed.add(s.id);
    out.push(s);
  };
  for (const s of sites) place(s, 0);
  return out;
}

import { z } from 'zod';
import { DeviceId, ID_PATTERN, VillageId } from './ids.ts';
import { MetricName } from './metrics.ts';
import { ThresholdRule } from './provisioning.ts';
import { RESERVED_DEVICE_IDS } from './topics.ts';

/**
 * The village scenario: what the device simulator (firmware-sim) plays. One JSON file describes a
 * village, its sites (plots, storage rooms, weather mast, meter points, the packing house) and the
 * devices on them with their reporting intervals and faults. Families (what a device measures) live
 * in firmware-sim, so "family is known" is checked there, not here.
 */

/** Site ids are slightly shorter than other ids, so that rule ids derived from them (`{siteId}-temperature`) stay ids. */
export const ScenarioSiteId = z
  .string()
  .max(48)
  .regex(ID_PATTERN, 'lowercase letters, digits, "-" or "_", starting with a letter or digit')
  .describe('Site identifier, unique within the scenario, at most 48 characters');

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const ScenarioVillage = z
  .object({
    id: VillageId,
    name: z.string().min(1).max(120),
    kodeWilayah: z
      .string()
      .regex(
        /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/,
        'Kemendagri code like 35.77.01.1001 (province.regency.district.village)',
      )
      .optional()
      .describe('Kemendagri area code; leave it out rather than guess'),
    district: z.string().min(1).max(120).describe('Kecamatan'),
    regency: z.string().min(1).max(120).describe('Kabupaten or kota'),
    province: z.string().min(1).max(120).optional(),
    timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Jakarta').describe('IANA time zone'),
    latitude: z.number().min(-90).max(90).describe('Decimal degrees, south negative'),
    longitude: z.number().min(-180).max(180).describe('Decimal degrees, west negative'),
    elevation: z.number().min(-100).max(6000).describe('Metres above sea level'),
  })
  .strict();
export type ScenarioVillage = z.infer<typeof ScenarioVillage>;

/** An allowed range; either end may be open. */
export const AllowedRange = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, 'min must be below max');
export type AllowedRange = z.infer<typeof AllowedRange>;

const siteBase = {
  id: ScenarioSiteId,
  name: z.string().min(1).max(120),
  parentId: ScenarioSiteId.optional().describe('The site this one is part of (a storage room in a packing house)'),
};

export const CROPS = ['rice', 'chilli', 'maize', 'vegetables'] as const;
export const Crop = z.enum(CROPS);
export type Crop = z.infer<typeof Crop>;

export const SoilProperties = z
  .object({
    fieldCapacity: z.number().gt(0).lt(1).describe('Volumetric water content at field capacity, m³/m³'),
    wiltingPoint: z.number().gt(0).lt(1).describe('Volumetric water content at wilting point, m³/m³'),
    saturation: z.number().gt(0).lt(1).optional().describe('Volumetric water content at saturation, m³/m³'),
    rootDepth: z.number().min(0.05).max(3).describe('Root zone depth, m'),
  })
  .strict()
  .refine((s) => s.wiltingPoint < s.fieldCapacity, 'wiltingPoint must be below fieldCapacity')
  .refine(
    (s) => s.saturation === undefined || s.saturation > s.fieldCapacity,
    'saturation must be above fieldCapacity',
  );
export type SoilProperties = z.infer<typeof SoilProperties>;

export const PlotSite = z
  .object({
    ...siteBase,
    kind: z.literal('plot'),
    crop: Crop,
    plantingDate: z.iso.date().describe('Local date the crop was planted or transplanted, YYYY-MM-DD'),
    repeatEveryDays: z
      .number()
      .int()
      .min(60)
      .max(730)
      .optional()
      .describe('The crop calendar repeats: replanted this many days after each planting (182 = two crops a year)'),
    areaM2: z.number().positive(),
    soil: SoilProperties,
    water: z
      .enum(['flooded', 'irrigated', 'rainfed'])
      .default('rainfed')
      .describe('flooded: a paddy kept ponded until about two weeks before harvest'),
    irrigation: z
      .object({
        everyDays: z.number().int().min(1).max(30),
        depthMm: z.number().positive().max(200),
        hourLocal: z.number().int().min(0).max(23).default(6),
      })
      .strict()
      .optional()
      .describe('Scheduled irrigation'),
  })
  .strict();

export const StorageRoomSite = z
  .object({
    ...siteBase,
    kind: z.literal('storage_room'),
    purpose: z.enum(['dry_goods', 'eggs', 'produce', 'other']),
    temperature: AllowedRange.describe('Allowed air temperature, °C'),
    humidity: AllowedRange.describe('Allowed relative humidity, %'),
    climate: z
      .object({
        coolingSetpoint: z.number().min(-30).max(30).optional().describe('Cooler set point, °C; off during power cuts'),
        targetHumidity: z.number().min(20).max(95).optional().describe('Dehumidifier target, %; off during power cuts'),
        timeConstantHours: z.number().min(0.25).max(72).optional().describe('How slowly the room follows outside, h'),
      })
      .strict()
      .optional(),
  })
  .strict();

export const WeatherSite = z.object({ ...siteBase, kind: z.literal('weather') }).strict();

export const MeterPointSite = z
  .object({
    ...siteBase,
    kind: z.literal('meter_point'),
    measures: z.enum(['energy', 'water']),
    dailyUse: z.number().positive().optional().describe('Typical use per day, kWh or m³'),
  })
  .strict();

export const PackingHouseSite = z.object({ ...siteBase, kind: z.literal('packing_house') }).strict();

export const Site = z.discriminatedUnion('kind', [
  PlotSite,
  StorageRoomSite,
  WeatherSite,
  MeterPointSite,
  PackingHouseSite,
]);
export type Site = z.infer<typeof Site>;
export type SiteKind = Site['kind'];
export type PlotSite = z.infer<typeof PlotSite>;
export type StorageRoomSite = z.infer<typeof StorageRoomSite>;
export type WeatherSite = z.infer<typeof WeatherSite>;
export type MeterPointSite = z.infer<typeof MeterPointSite>;
export type PackingHouseSite = z.infer<typeof PackingHouseSite>;

const faultWindow = {
  from: z.iso.datetime({ offset: true }).optional().describe('When the fault starts; absent = from the beginning'),
  to: z.iso.datetime({ offset: true }).optional().describe('When it ends; absent = never'),
};

/** Faults a simulated device can show, switched on in the scenario or at run time. */
export const Fault = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('stuck'),
      metric: MetricName.optional().describe('Only this metric; absent = every metric'),
      ...faultWindow,
    })
    .strict(),
  z
    .object({
      type: z.literal('spikes'),
      metric: MetricName.optional(),
      probability: z.number().gt(0).max(1).default(0.05).describe('Chance that a reading is a spike'),
      magnitude: z.number().positive().default(10).describe('Size of a spike in the unit of the metric'),
      ...faultWindow,
    })
    .strict(),
  z
    .object({
      type: z.literal('dropout'),
      probability: z.number().gt(0).max(1).default(0.2).describe('Chance that a message is lost on the way'),
      ...faultWindow,
    })
    .strict(),
  z
    .object({
      type: z.literal('clock_drift'),
      secondsPerDay: z.number().min(-86_400).max(86_400).default(30).describe('Positive: the device clock runs fast'),
      ...faultWindow,
    })
    .strict(),
  z
    .object({
      type: z.literal('battery_decline'),
      voltsPerDay: z.number().positive().max(10).default(0.05),
      ...faultWindow,
    })
    .strict(),
  z
    .object({
      type: z.literal('intermittent'),
      meanOnlineMinutes: z.number().positive().default(240),
      meanOfflineMinutes: z.number().positive().default(60),
      buffer: z.boolean().default(true).describe('true: readings taken offline are kept and sent on reconnect'),
      bufferSize: z.number().int().min(1).max(100_000).default(256).describe('Readings kept; the oldest go first'),
      ...faultWindow,
    })
    .strict(),
]);
export type Fault = z.infer<typeof Fault>;
export type FaultInput = z.input<typeof Fault>;
export type FaultType = Fault['type'];

export const ScenarioDevice = z
  .object({
    id: DeviceId.refine((id) => !RESERVED_DEVICE_IDS.has(id), 'this id is reserved in the topic grammar'),
    family: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a family id such as weather_station'),
    siteId: ScenarioSiteId,
    intervalSeconds: z.number().int().min(10).max(86_400).describe('Reporting interval, s'),
    sensorHeight: z.number().min(0).max(100).optional().describe('Sensor height above ground, m (wind speed)'),
    firmware: z.string().max(64).optional(),
    faults: z.array(Fault).default([]),
  })
  .strict();
export type ScenarioDevice = z.infer<typeof ScenarioDevice>;

export const Scenario = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    village: ScenarioVillage,
    sites: z.array(Site).min(1),
    devices: z.array(ScenarioDevice).min(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .default(1)
      .describe('Seed of every random choice: same seed and time range, same readings'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const sites = new Map<string, Site>();
    s.sites.forEach((site, i) => {
      if (sites.has(site.id))
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'id'], message: `duplicate site id "${site.id}"` });
      sites.set(site.id, site);
    });
    s.sites.forEach((site, i) => {
      if (site.parentId === undefined) return;
      const parent = sites.get(site.parentId);
      if (!parent)
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'parentId'], message: `no site "${site.parentId}"` });
      else if (site.kind === 'storage_room' && parent.kind !== 'packing_house')
        ctx.addIssue({
          code: 'custom',
          path: ['sites', i, 'parentId'],
          message: `a storage room's parent must be a packing_house, "${parent.id}" is a ${parent.kind}`,
        });
      else if (parent.id === site.id)
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'parentId'], message: 'a site cannot be its own parent' });
    });
    const devices = new Set<string>();
    s.devices.forEach((d, i) => {
      if (devices.has(d.id))
        ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `duplicate device id "${d.id}"` });
      devices.add(d.id);
      if (!sites.has(d.siteId))
        ctx.addIssue({ code: 'custom', path: ['devices', i, 'siteId'], message: `no site "${d.siteId}"` });
    });
  });
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/**
 * Local threshold rules of the village box derived from the storage rooms' allowed ranges: one for
 * air temperature and one for relative humidity per room, raised after `forSeconds` outside the range
 * (default 15 minutes, so a door opened for a minute or two does not page anyone).
 */
export function scenarioRules(
  scenario: Pick<Scenario, 'sites'>,
  opts: { forSeconds?: number; severity?: ThresholdRule['severity'] } = {},
): ThresholdRule[] {
  const forSeconds = opts.forSeconds ?? 900;
  const severity = opts.severity ?? 'warning';
  const rules: ThresholdRule[] = [];
  for (const site of scenario.sites) {
    if (site.kind !== 'storage_room') continue;
    const checks = [
      {
        suffix: 'temperature',
        metric: 'air_temperature',
        range: site.temperature,
        id: 'Suhu',
        en: 'temperature',
      },
      {
        suffix: 'humidity',
        metric: 'relative_humidity',
        range: site.humidity,
        id: 'Kelembapan',
        en: 'humidity',
      },
    ];
    for (const c of checks) {
      if (c.range.min === undefined && c.range.max === undefined) continue;
      rules.push(
        ThresholdRule.parse({
          id: `${site.id}-${c.suffix}`,
          siteId: site.id,
          metric: c.metric,
          min: c.range.min,
          max: c.range.max,
          forSeconds,
          severity,
          // The village box's alert message adds the range, the duration, the value and the device.
          label: { id: `${c.id} ${site.name}`, en: `${site.name} ${c.en}` },
        }),
      );
    }
  }
  return rules;
}

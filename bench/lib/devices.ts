import { hashSecret } from '@lumbung/runtime';
import type { EdgeProvisioning, UpPayload } from '@lumbung/schemas';

/**
 * Simulated device families of the ingestion benchmark: what a message of each carries. `battery` and `rssi`
 * count as readings at the edge (they become readings of the metrics of the same name).
 */
export const FAMILIES = {
  /** 3 soil metrics + battery = 4 readings */
  soil: { metrics: ['soil_moisture', 'soil_temperature', 'soil_ec'], battery: true, rssi: false },
  /** 3 room metrics + battery = 4 readings */
  room: { metrics: ['air_temperature', 'relative_humidity', 'co2'], battery: true, rssi: false },
  /** 5 weather metrics (mains powered, no battery) = 5 readings */
  weather: {
    metrics: ['air_temperature', 'relative_humidity', 'wind_speed', 'solar_radiation', 'rainfall'],
    battery: false,
    rssi: false,
  },
  /** 4 weather metrics + battery + rssi = 6 readings */
  weatherLora: {
    metrics: ['air_temperature', 'relative_humidity', 'wind_speed', 'rainfall'],
    battery: true,
    rssi: true,
  },
} as const;
export type Family = keyof typeof FAMILIES;

/** The metrics (store series) one message of a family produces. */
export function familyMetrics(f: Family): string[] {
  const d = FAMILIES[f];
  return [...d.metrics, ...(d.battery ? ['battery'] : []), ...(d.rssi ? ['rssi'] : [])];
}

export const readingsPerMessage = (f: Family): number => familyMetrics(f).length;

/** A village mix: mostly soil probes and room sensors, some weather stations (4-6 readings a message). */
export function mixedFamily(i: number): Family {
  const k = i % 10;
  return k < 5 ? 'soil' : k < 8 ? 'room' : k < 9 ? 'weather' : 'weatherLora';
}

export interface BenchDevice {
  id: string;
  secret: string;
  family: Family;
}

export function makeDevices(n: number, family?: Family, prefix = 'dev'): BenchDevice[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(4, '0')}`,
    secret: `bench-secret-${prefix}-${i}-${'x'.repeat(24)}`,
    family: family ?? mixedFamily(i),
  }));
}

export function edgeProvisioning(villageId: string, edgeId: string, devices: BenchDevice[]): EdgeProvisioning {
  return {
    villageId,
    edgeId,
    devices: devices.map((d) => ({
      deviceId: d.id,
      villageId,
      family: d.family,
      secretHash: hashSecret(d.secret),
      revoked: false,
    })),
    rules: [],
  };
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Plausible values (within the catalogue ranges, 0.1 resolution like real sensors): a diurnal curve at local time
 * UTC+7 and a per-device offset.
 */
export function upPayload(family: Family, device: number, seq: number, ts: number): UpPayload {
  const d = FAMILIES[family];
  const hour = (((ts / 3_600_000 + 7) % 24) + 24) % 24;
  const diurnal = Math.sin((2 * Math.PI * (hour - 9)) / 24);
  const wobble = Math.sin(seq * 0.37 + device) * 0.4;
  const v: Record<string, number> = {
    air_temperature: r1(28 + 4 * diurnal + wobble + (device % 7) * 0.2),
    relative_humidity: r1(Math.min(100, 78 - 12 * diurnal - 2 * wobble)),
    wind_speed: r1(Math.max(0, 1.5 + diurnal + wobble)),
    solar_radiation: Math.round(Math.max(0, 900 * diurnal)),
    rainfall: (seq + device) % 97 === 0 ? 0.4 : 0,
    soil_moisture: r1(32 + (device % 11) - 0.001 * (seq % 5000) + wobble),
    soil_temperature: r1(27 + 2 * diurnal + wobble / 2),
    soil_ec: r2(1.1 + (device % 5) * 0.1 + wobble / 10),
    co2: Math.round(650 + 150 * diurnal + 20 * wobble),
  };
  const readings: Record<string, number> = {};
  for (const m of d.metrics) readings[m] = v[m] as number;
  const p: UpPayload = { seq, ts, readings };
  if (d.battery) p.battery = r2(3.9 - (seq % 10_000) / 50_000);
  if (d.rssi) p.rssi = -70 - ((device + seq) % 25);
  return p;
}

import type { SiteKind } from '@lumbung/schemas';
import type { BatteryKind, Extend } from './extend.ts';

/** A device family: what a kind of device measures and how, as a list of extends. */
export interface DeviceFamily {
  /** Family id as used in scenarios, e.g. `weather_station`. */
  id: string;
  label: { id: string; en: string };
  description: string;
  /** Site kinds a device of this family can be placed on. */
  siteKinds: readonly SiteKind[];
  /** For meter families: what the meter point must measure. */
  measures?: 'energy' | 'water';
  power: BatteryKind;
  /** Voltage below which the device browns out and stops reporting, V (battery-powered only). */
  cutoffVolts?: number;
  /** A sensible reporting interval, s (scenarios choose their own). */
  defaultIntervalSeconds: number;
  firmware: string;
  extend: readonly Extend[];
  /** Metrics the family writes, collected from its extends. */
  metrics: readonly string[];
}

export function defineFamily(def: Omit<DeviceFamily, 'metrics'>): DeviceFamily {
  const metrics = [...new Set(def.extend.flatMap((e) => e.metrics))];
  const dup = def.extend.flatMap((e) => e.metrics).filter((m, i, all) => all.indexOf(m) !== i);
  if (dup.length > 0) throw new Error(`family ${def.id}: metric(s) ${dup.join(', ')} written by two extends`);
  return { ...def, metrics };
}

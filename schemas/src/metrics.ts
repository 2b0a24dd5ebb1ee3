import { z } from 'zod';

/**
 * How a metric's samples combine over time:
 * - gauge: an instantaneous value (temperature).
 * - interval: an amount accumulated over the reporting interval (rainfall mm in the interval); sums are meaningful.
 * - counter: a monotonically increasing cumulative register (energy kWh); use increase/rate, it may reset to 0.
 */
export const MetricKind = z.enum(['gauge', 'interval', 'counter']);
export type MetricKind = z.infer<typeof MetricKind>;

/** A metric's name: lowercase letters, digits and "_", starting with a letter, at most 63 characters. */
export const MetricName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

export const MetricDefinition = z.object({
  name: MetricName,
  unit: z.string().describe('Canonical unit symbol as stored'),
  ucum: z.string().describe('UCUM code of the unit, for exports'),
  kind: MetricKind,
  min: z.number().describe('Lowest plausible value; below it a reading is rejected'),
  max: z.number().describe('Highest plausible value; above it a reading is rejected'),
  label: z.object({ id: z.string(), en: z.string() }),
});
export type MetricDefinition = z.infer<typeof MetricDefinition>;

const m = (
  name: string,
  unit: string,
  ucum: string,
  kind: MetricKind,
  min: number,
  max: number,
  id: string,
  en: string,
): MetricDefinition => ({ name, unit, ucum, kind, min, max, label: { id, en } });

/**
 * The built-in metric catalogue. Units are the canonical storage units
 * (STYLE.md "Units, time, names"): devices convert before they publish or a codec converts at the edge.
 * Ranges are physical plausibility limits for Indonesian field and storage conditions, not alarm thresholds.
 */
export const BUILTIN_METRICS: readonly MetricDefinition[] = [
  m('air_temperature', '°C', 'Cel', 'gauge', -10, 60, 'Suhu udara', 'Air temperature'),
  m('relative_humidity', '%', '%', 'gauge', 0, 100, 'Kelembapan udara', 'Relative humidity'),
  m('wind_speed', 'm/s', 'm/s', 'gauge', 0, 75, 'Kecepatan angin', 'Wind speed'),
  m('solar_radiation', 'W/m²', 'W/m2', 'gauge', 0, 1500, 'Radiasi matahari', 'Solar radiation'),
  m('rainfall', 'mm', 'mm', 'interval', 0, 400, 'Curah hujan', 'Rainfall'),
  m('soil_moisture', '% VWC', '%', 'gauge', 0, 100, 'Kelembapan tanah', 'Soil moisture'),
  m('soil_temperature', '°C', 'Cel', 'gauge', -5, 70, 'Suhu tanah', 'Soil temperature'),
  m('soil_ec', 'dS/m', 'dS/m', 'gauge', 0, 50, 'Daya hantar listrik tanah', 'Soil electrical conductivity'),
  m('co2', 'ppm', '[ppm]', 'gauge', 0, 10000, 'Kadar CO₂', 'CO₂ concentration'),
  m('energy', 'kWh', 'kW.h', 'counter', 0, 1e9, 'Energi listrik', 'Electrical energy'),
  m('water_volume', 'm³', 'm3', 'counter', 0, 1e9, 'Volume air', 'Water volume'),
  m('fuel_volume', 'L', 'L', 'counter', 0, 1e9, 'Volume bahan bakar', 'Fuel volume'),
  m('battery', 'V', 'V', 'gauge', 0, 60, 'Tegangan baterai', 'Battery voltage'),
  m('rssi', 'dBm', 'dB[mW]', 'gauge', -200, 0, 'Kekuatan sinyal', 'Signal strength'),
];

/** A catalogue of metrics; extensible with deployment-specific metrics, never silently overriding a built-in. */
export class MetricCatalogue {
  readonly #byName = new Map<string, MetricDefinition>();

  constructor(definitions: readonly MetricDefinition[] = BUILTIN_METRICS) {
    for (const d of definitions) this.add(d);
  }

  add(definition: MetricDefinition): this {
    const parsed = MetricDefinition.parse(definition);
    if (parsed.min >= parsed.max) throw new Error(`metric ${parsed.name}: min must be below max`);
    if (this.#byName.has(parsed.name)) throw new Error(`metric ${parsed.name} is already defined`);
    this.#byName.set(parsed.name, parsed);
    return this;
  }

  get(name: string): MetricDefinition | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  list(): MetricDefinition[] {
    return [...this.#byName.values()];
  }

  /** Checks a value against the catalogue: returns a rejection reason, or undefined when it is acceptable. */
  check(name: string, value: number): 'unknown_metric' | 'not_finite' | 'out_of_range' | undefined {
    const d = this.#byName.get(name);
    if (!d) return 'unknown_metric';
    if (!Number.isFinite(value)) return 'not_finite';
    if (value < d.min || value > d.max) return 'out_of_range';
    return undefined;
  }
}

export const defaultCatalogue = new MetricCatalogue();

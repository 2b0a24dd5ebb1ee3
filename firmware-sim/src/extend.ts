import type { Scenario, ScenarioDevice, Site } from '@lumbung/schemas';
import { CumulativeMeter, type DailyProfile } from './physics/meters.ts';
import { relativeHumidity } from './physics/psychro.ts';
import { LaggedRoom, type RoomOptions } from './physics/room.ts';
import { SoilWaterBucket } from './physics/soil.ts';
import { solarHour } from './physics/solar.ts';
import type { VillageWeather } from './physics/weather.ts';
import { hashString, normal, uniform } from './random.ts';
import { DAY } from './time.ts';

/**
 * Device families are data composed from small factories ("extends", after zigbee-herdsman-converters'
 * modernExtend): each factory takes options with defaults, declares the metrics it writes, and makes
 * a probe per device that samples its physics at a given simulated time.
 */

/** Everything a probe may look at: the device, its site, the scenario and the village's weather. */
export interface DeviceContext {
  scenario: Scenario;
  device: ScenarioDevice;
  site: Site;
  weather: VillageWeather;
  seed: number;
  /** Hash of the device id, to key its random draws. */
  key: number;
}

/** One measurement in the making: metric readings and the payload's battery and rssi fields. */
export interface Measurement {
  readings: Record<string, number>;
  battery?: number;
  rssi?: number;
}

export interface Probe {
  /** Called once with the time of the first reading, before it: spin up any state. */
  init?(ts: number): void;
  /** Writes the measurement at `ts` into `out`; `prevTs` is the previous reading time (for interval metrics). */
  sample(ts: number, prevTs: number, out: Measurement): void;
}

export interface Extend {
  metrics: readonly string[];
  create(ctx: DeviceContext): Probe;
}

const round = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Sensor noise: a hashed normal draw per device, instant and metric, so it is reproducible. */
const noise = (ctx: DeviceContext, ts: number, channel: number, sd: number): number =>
  sd === 0 ? 0 : sd * normal(ctx.seed, ctx.key, Math.floor(ts / 1000), channel);

const ch = (name: string): number => hashString(name);

// ---------------------------------------------------------------- weather

export interface SensorOptions {
  metric: string;
  /** Standard deviation of the sensor noise in the metric's unit. */
  noise: number;
  decimals: number;
}

/** Air temperature from the village weather: diurnal sinusoid, weather noise, shower cooling (°C). */
export function diurnalTemperature(o: Partial<SensorOptions> = {}): Extend {
  const opts: SensorOptions = { metric: 'air_temperature', noise: 0.1, decimals: 2, ...o };
  const c = ch(opts.metric);
  return {
    metrics: [opts.metric],
    create: (ctx) => ({
      sample(ts, _prev, out) {
        out.readings[opts.metric] = round(
          ctx.weather.airTemperature(ts) + noise(ctx, ts, c, opts.noise),
          opts.decimals,
        );
      },
    }),
  };
}

/** Relative humidity from air temperature and a near-constant dew point (Magnus), %. */
export function humidityFromTemperature(o: Partial<SensorOptions> = {}): Extend {
  const opts: SensorOptions = { metric: 'relative_humidity', noise: 0.8, decimals: 1, ...o };
  const c = ch(opts.metric);
  return {
    metrics: [opts.metric],
    create: (ctx) => ({
      sample(ts, _prev, out) {
        const t = ctx.weather.airTemperature(ts);
        const rh = relativeHumidity(t, ctx.weather.dewPoint(ts, t)) + noise(ctx, ts, c, opts.noise);
        out.readings[opts.metric] = round(clamp(rh, 5, 100), opts.decimals);
      },
    }),
  };
}

/**
 * Global solar radiation (pyranometer), W/m²: the village weather's radiation (FAO-56 clear-sky
 * radiation times the sky's clearness) with sensor noise.
 */
export function solarRadiation(o: Partial<SensorOptions> = {}): Extend {
  const opts: SensorOptions = { metric: 'solar_radiation', noise: 0.02, decimals: 0, ...o };
  const c = ch(opts.metric);
  return {
    metrics: [opts.metric],
    create: (ctx) => ({
      sample(ts, _prev, out) {
        const rs = ctx.weather.solarRadiation(ts);
        out.readings[opts.metric] = round(Math.max(0, rs * (1 + noise(ctx, ts, c, opts.noise))), opts.decimals);
      },
    }),
  };
}

/** Rainfall in the reporting interval from a tipping-bucket gauge, mm (whole tips of `resolution`). */
export function rainEvents(o: { metric?: string; resolution?: number } = {}): Extend {
  const metric = o.metric ?? 'rainfall';
  const resolution = o.resolution ?? 0.2;
  return {
    metrics: [metric],
    create: (ctx) => {
      // Rain caught and tips counted since the first reading, so a part-filled bucket carries over.
      let caught = 0;
      let tips = 0;
      return {
        sample(ts, prev, out) {
          if (ts > prev) caught += ctx.weather.rainBetween(prev, ts);
          const total = Math.floor(caught / resolution + 1e-9);
          out.readings[metric] = round((total - tips) * resolution, 1);
          tips = total;
        },
      };
    },
  };
}

/** Wind speed at the sensor's height, m/s, from 2 m wind with the FAO-56 Eq. 47 log profile. */
export function windSpeed(o: Partial<SensorOptions> & { defaultHeight?: number } = {}): Extend {
  const opts = { metric: 'wind_speed', noise: 0.15, decimals: 1, defaultHeight: 2, ...o };
  const c = ch(opts.metric);
  return {
    metrics: [opts.metric],
    create: (ctx) => {
      const z = Math.max(0.5, ctx.device.sensorHeight ?? opts.defaultHeight);
      const factor = Math.log(67.8 * z - 5.42) / 4.87; // uz = u2 · ln(67.8 z − 5.42) / 4.87
      return {
        sample(ts, _prev, out) {
          const u = ctx.weather.windSpeed2m(ts) * factor + noise(ctx, ts, c, opts.noise);
          out.readings[opts.metric] = round(Math.max(0, u), opts.decimals);
        },
      };
    },
  };
}

// ---------------------------------------------------------------- soil

/** Root-zone soil moisture (% VWC) and, optionally, bulk electrical conductivity (dS/m). */
export function soilWaterBucket(o: { noise?: number; ec?: boolean } = {}): Extend {
  const sd = o.noise ?? 0.4;
  const ec = o.ec ?? true;
  const c = ch('soil_moisture');
  return {
    metrics: ec ? ['soil_moisture', 'soil_ec'] : ['soil_moisture'],
    create: (ctx) => {
      if (ctx.site.kind !== 'plot')
        throw new Error(`soilWaterBucket needs a plot, ${ctx.site.id} is a ${ctx.site.kind}`);
      const bucket = new SoilWaterBucket(ctx.site, ctx.weather);
      return {
        init(ts) {
          bucket.spinUp(ts);
        },
        sample(ts, _prev, out) {
          bucket.advance(ts);
          const theta = bucket.theta;
          out.readings.soil_moisture = round(clamp(100 * theta + noise(ctx, ts, c, sd), 0, 100), 1);
          // Bulk EC rises with water content (more conducting paths); a simple linear stand-in.
          if (ec) out.readings.soil_ec = round(Math.max(0.01, 0.08 + 1.4 * theta + noise(ctx, ts, c + 1, 0.02)), 2);
        },
      };
    },
  };
}

/** Soil temperature at about 10 cm: the daily air mean, a damped swing two hours later; less under water. */
export function soilTemperature(o: Partial<SensorOptions> = {}): Extend {
  const opts: SensorOptions = { metric: 'soil_temperature', noise: 0.05, decimals: 2, ...o };
  const c = ch(opts.metric);
  return {
    metrics: [opts.metric],
    create: (ctx) => {
      const flooded = ctx.site.kind === 'plot' && ctx.site.water === 'flooded';
      return {
        sample(ts, _prev, out) {
          const w = ctx.weather;
          const hs = solarHour(ts, w.village.longitude);
          const swing = (flooded ? 0.3 : 0.5) * w.dailyAmplitude(ts) * Math.cos((2 * Math.PI * (hs - 16.5)) / 24);
          const t = w.dailyMeanTemperature(ts) + (flooded ? 0.5 : 1.2) + swing - 0.3 * w.rainCooling(ts);
          out.readings[opts.metric] = round(t + noise(ctx, ts, c, opts.noise), opts.decimals);
        },
      };
    },
  };
}

// ---------------------------------------------------------------- storage rooms

/** Storage room air temperature and humidity: a lagged outside, door openings, cooler, power cuts. */
export function laggedRoom(o: Partial<RoomOptions> & { noise?: number } = {}): Extend {
  const { noise: sd = 0.05, ...overrides } = o;
  const c = ch('room');
  return {
    metrics: ['air_temperature', 'relative_humidity'],
    create: (ctx) => {
      if (ctx.site.kind !== 'storage_room')
        throw new Error(`laggedRoom needs a storage_room, ${ctx.site.id} is a ${ctx.site.kind}`);
      const room = new LaggedRoom(ctx.site, ctx.weather, overrides);
      return {
        init(ts) {
          room.spinUp(ts);
        },
        sample(ts, _prev, out) {
          room.advance(ts);
          out.readings.air_temperature = round(room.temperature + noise(ctx, ts, c, sd), 2);
          out.readings.relative_humidity = round(clamp(room.relativeHumidity + noise(ctx, ts, c + 1, 0.5), 5, 100), 1);
        },
      };
    },
  };
}

// ---------------------------------------------------------------- meters

/** A cumulative register following a daily profile, scaled to the site's `dailyUse` (or the default). */
export function cumulativeMeter(
  profile: DailyProfile,
  o: { metric: string; defaultDailyUse: number; decimals?: number },
): Extend {
  return {
    metrics: [o.metric],
    create: (ctx) => {
      const dailyUse = (ctx.site.kind === 'meter_point' ? ctx.site.dailyUse : undefined) ?? o.defaultDailyUse;
      const meter = new CumulativeMeter(ctx.weather, profile, dailyUse, ctx.device.id);
      return {
        init(ts) {
          meter.advance(ts);
        },
        sample(ts, _prev, out) {
          meter.advance(ts);
          // Floor, not round: a register shows what has been used, never more.
          const f = 10 ** (o.decimals ?? 2);
          out.readings[o.metric] = Math.floor(meter.register * f) / f;
        },
      };
    },
  };
}

// ---------------------------------------------------------------- power and radio

export type BatteryKind = 'solar' | 'aa' | 'mains';

/** Battery voltage (V) per power source; mains-powered devices report none. */
export function battery(o: { kind: BatteryKind; lifeDays?: number } = { kind: 'aa' }): Extend {
  const life = o.lifeDays ?? 700;
  return {
    metrics: [],
    create: (ctx) => ({
      sample(ts, _prev, out) {
        if (o.kind === 'mains') return;
        if (o.kind === 'solar') {
          // A LiFePO4 cell on a small panel: charging lifts it by day.
          const charge = Math.min(1, ctx.weather.solarRadiation(ts) / 800);
          out.battery = round(3.25 + 0.15 * charge + 0.01 * normal(ctx.seed, ctx.key, Math.floor(ts / 1000), 77), 3);
          return;
        }
        // Two lithium AA cells: flat for most of their life, falling at the end; replaced every `life` days.
        const age = (ts / DAY + uniform(ctx.seed, ctx.key, 78) * life) % life;
        out.battery = round(
          3.1 - 0.6 * (age / life) ** 4 + 0.005 * normal(ctx.seed, ctx.key, Math.floor(ts / 1000), 79),
          3,
        );
      },
    }),
  };
}

/** Received signal strength, dBm: a per-device base, fading, a few dB lost in heavy rain. */
export function radio(o: { base?: number } = {}): Extend {
  return {
    metrics: [],
    create: (ctx) => {
      const base = o.base ?? -62 - 30 * uniform(ctx.seed, ctx.key, 91);
      return {
        sample(ts, _prev, out) {
          const fade = 2.5 * normal(ctx.seed, ctx.key, Math.floor(ts / 1000), 92);
          const rain = Math.min(6, ctx.weather.rainRate(ts) / 5);
          out.rssi = Math.round(clamp(base + fade - rain, -130, -20));
        },
      };
    },
  };
}

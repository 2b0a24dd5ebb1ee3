import type { EcoRecord, VillageRecord } from '@lumbung/schemas';
import { localDate, localMidnight } from '@lumbung/schemas/time';
import type { StoredReading, TimeSeriesStore } from '@lumbung/store';
import { type Registry, RegistryError } from '../registry/port.ts';
import { DEMO_COOPERATIVE } from '../supply/demo.ts';
import { type Actor, SupplyService } from '../supply/service.ts';
import { EcoService, previousMonth } from './service.ts';

/**
 * The demo's environmental indicators (issue 6) for Kelurahan Taman: its CSR partner (fictional), a year
 * of readings of its two meters, a year of figures entered by hand (the genset's diesel, the kitchen's
 * LPG, the rooftop's solar kWh, the well, weighed waste), the unit weights of the demo products, a year
 * of the KUB's earlier monthly orders (so that last month has production and programme outputs), and
 * the CSR report of the last full month, made by the `csr` user, so the partner finds one on first start.
 *
 * Idempotent: nothing is written when the village has eco settings (they are written last but one,
 * before the report). Runs after `seedSupplyDemo`, whose products and producers it uses.
 */
export interface EcoDemoOptions {
  villageId: string;
  now?: number;
  /**
   * The readings the village's meters send in [from, to) (the CLI passes the simulator's `iterateReadings`;
   * the cloud may not import the simulator). Without it no meter history is written.
   */
  meterReadings?: (from: number, to: number) => Iterable<StoredReading>;
  /**
   * Where the pipeline's own meter readings begin: the simulator creates its devices there (`lumbung demo`:
   * now − LUMBUNG_DEMO_BACKFILL_DAYS). Default `now`.
   */
  pipelineFrom?: number;
  /** Who made the report. Default `csr`, the demo's CSR partner. */
  reportBy?: string;
}

export interface EcoDemoResult {
  seeded: boolean;
  /** The report of the last full month, when seeded. */
  reportId?: string;
  meterReadings?: number;
}

export const DEMO_CSR_PARTNER = 'PT Nusantara Hijau Tbk';
export const DEMO_CSR_PROGRAMME = 'Desa Mandiri Energi Taman';
export const DEMO_GRID_REGION = 'jamali';

/** Net weight of one unit of the demo products, kg: a pack of four salted duck eggs, one duck egg, rice. */
export const DEMO_UNIT_WEIGHTS: Record<string, number> = {
  'telur-asin': 0.28,
  'telur-bebek': 0.07,
  beras: 1,
  padi: 1,
};

const DAY = 86_400_000;
const HOUR = 3_600_000;
const COUNTERS = new Set(['energy', 'water_volume']);
const STAFF: Actor = { userId: null, label: 'kemasan' };
const COORDINATOR: Actor = { userId: null, label: 'kub' };

export async function seedEcoDemo(
  registry: Registry,
  store: TimeSeriesStore,
  o: EcoDemoOptions,
): Promise<EcoDemoResult> {
  const { villageId } = o;
  if (await registry.eco.getEcoSettings(villageId)) return { seeded: false };
  const village = await registry.getVillage(villageId);
  if (!village) throw new Error(`no village ${villageId}`);
  const now = o.now ?? Date.now();

  const meterReadings = await writeMeterHistory(registry, store, village, o, now);

  for (const [id, unitWeightKg] of Object.entries(DEMO_UNIT_WEIGHTS)) {
    const p = await registry.supply.getProduct(villageId, id);
    if (p && p.unitWeightKg !== unitWeightKg) await registry.supply.upsertProduct({ ...p, unitWeightKg });
  }
  await writeSupplyHistory(registry, store, village, now);
  await writeRecords(registry, village, now);

  const sites = await registry.listSites(villageId, { kind: 'meter_point' });
  const meterSources: Record<string, string> = {};
  for (const s of sites) {
    if (s.meterPoint?.measures === 'energy') meterSources[s.id] = 'grid';
    if (s.meterPoint?.measures === 'water') meterSources[s.id] = 'municipal';
  }
  await registry.eco.putEcoSettings({
    villageId,
    gridRegion: DEMO_GRID_REGION,
    meterSources,
    csrPartnerName: DEMO_CSR_PARTNER,
    csrProgrammeName: DEMO_CSR_PROGRAMME,
  });

  const eco = new EcoService({ registry, store, now: () => now });
  const report = await eco.createReport(villageId, previousMonth(now, village.timeZone), {
    trigger: 'manual',
    by: o.reportBy ?? 'csr',
  });
  return { seeded: true, reportId: report.id, meterReadings };
}

/**
 * A year of the meters' counters, written straight into the store, up to now. The simulator's devices
 * start their registers at a nominal reading wherever they are created, so the history is shifted to meet
 * the pipeline's series where that begins (or the store's own first reading of the meter, on a data
 * directory that has one): a counter that dropped there would count as a reset, i.e. a whole register of
 * use in one day. The shift leaves the history an hour's use below, so the step where they meet is a
 * small rise, never a drop. Slots lie on each device's fixed grid, so the pipeline's readings of the
 * backfill days are duplicates of these and the store keeps the first.
 */
async function writeMeterHistory(
  registry: Registry,
  store: TimeSeriesStore,
  village: VillageRecord,
  o: EcoDemoOptions,
  now: number,
): Promise<number> {
  if (!o.meterReadings) return 0;
  const from = now - 365 * DAY;
  const pipelineFrom = Math.min(o.pipelineFrom ?? now, now);
  // A backfill of a year or more brings the history itself.
  if (pipelineFrom <= from) return 0;
  const meterSites = new Set((await registry.listSites(village.id, { kind: 'meter_point' })).map((s) => s.id));
  const meters = new Set(
    (await registry.listDevices(village.id)).filter((d) => d.siteId && meterSites.has(d.siteId)).map((d) => d.id),
  );
  const key = (r: { deviceId: string; metric: string }) => `${r.deviceId}\u0000${r.metric}`;
  const ours = (r: StoredReading) => r.villageId === village.id && meters.has(r.deviceId) && COUNTERS.has(r.metric);

  const series = new Map<string, StoredReading[]>();
  for (const r of o.meterReadings(from, now)) {
    if (!ours(r)) continue;
    let list = series.get(key(r));
    if (!list) series.set(key(r), (list = []));
    list.push(r);
  }
  // Where the pipeline's readings of each series begin.
  const pipelineStart = new Map<string, StoredReading>();
  for (const r of o.meterReadings(pipelineFrom, pipelineFrom + 2 * HOUR))
    if (ours(r) && !pipelineStart.has(key(r))) pipelineStart.set(key(r), r);

  let written = 0;
  for (const [k, list] of series) {
    list.sort((a, b) => a.ts - b.ts);
    const first = list[0];
    const last = list.at(-1);
    if (!first || !last) continue;
    const [existing] = await store.queryRaw({
      villageId: village.id,
      deviceId: first.deviceId,
      metric: first.metric,
      from,
      to: now + DAY,
      limit: 1,
    });
    const anchor = existing ?? pipelineStart.get(k);
    const end = existing ? existing.ts : now;
    const keep = list.filter((r) => r.ts < end);
    if (keep.length === 0) continue;
    let shift = 0;
    if (anchor) {
      const ref = [...list].reverse().find((r) => r.ts <= anchor.ts) ?? first;
      const hourly = last.ts > first.ts ? ((last.value - first.value) / (last.ts - first.ts)) * HOUR : 0;
      shift = anchor.value - ref.value - Math.max(hourly, 0.01);
    }
    for (let i = 0; i < keep.length; i += 20_000) {
      const batch = keep.slice(i, i + 20_000).map((r) => ({ ...r, value: round(r.value + shift, 3) }));
      written += (await store.write(batch)).written;
    }
  }
  return written;
}

/** A small deterministic variation in [-1, 1) for month `i` and series `k`. */
function wobble(i: number, k: number): number {
  const x = Math.sin(i * 12.9898 + k * 78.233) * 43_758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** First day of the month `n` months from the month of `date`. */
function monthStart(date: string, n: number): string {
  const [y = 1970, m = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10);
}

const withDay = (month: string, day: number) => `${month.slice(0, 8)}${String(day).padStart(2, '0')}`;

/**
 * Figures entered by hand for the twelve full months before this one and this month so far: diesel for
 * the genset that runs through power cuts (more in the rainy season) and its output, LPG for boiling the
 * salted eggs, the rooftop's 3 kWp of solar (less in the rainy season), the well's pump, weighed waste.
 */
async function writeRecords(registry: Registry, village: VillageRecord, now: number): Promise<void> {
  const today = localDate(now, village.timeZone);
  const createdAt = now;
  for (let i = -12; i <= 0; i++) {
    const month = monthStart(today, i);
    const mo = Number(month.slice(5, 7));
    const rainy = mo >= 11 || mo <= 3;
    const w = (k: number) => 1 + 0.15 * wobble(i, k);
    const entries: Omit<EcoRecord, 'id' | 'villageId' | 'createdAt' | 'createdBy'>[] = [
      {
        date: withDay(month, 5),
        kind: 'fuel',
        source: 'diesel',
        quantity: round((rainy ? 22 : 12) * w(1), 1),
        note: 'Solar genset, nota SPBU',
      },
      {
        date: withDay(month, 5),
        kind: 'energy',
        source: 'generator',
        quantity: round((rainy ? 22 : 12) * w(1) * 2.9, 1),
        note: 'Meter keluaran genset',
      },
      {
        date: withDay(month, 3),
        kind: 'fuel',
        source: 'lpg',
        quantity: round(18 * w(2), 1),
        note: 'LPG 3 kg × 6 tabung, dapur rebus telur',
      },
      {
        date: withDay(month, 17),
        kind: 'fuel',
        source: 'lpg',
        quantity: round(18 * w(3), 1),
        note: 'LPG 3 kg × 6 tabung, dapur rebus telur',
      },
      {
        date: withDay(month, 28),
        kind: 'energy',
        source: 'solar',
        quantity: round((rainy ? 290 : 380) * w(4), 1),
        note: 'Total bulanan inverter atap 3 kWp',
      },
      {
        date: withDay(month, 28),
        kind: 'water',
        source: 'groundwater',
        quantity: round(9 * w(5), 2),
        note: 'Sumur bor: jam pompa × debit',
      },
      {
        date: withDay(month, 28),
        kind: 'waste',
        source: 'organic',
        quantity: round(140 * w(6), 1),
        note: 'Cangkang telur dan sisa abu gosok',
      },
      {
        date: withDay(month, 28),
        kind: 'waste',
        source: 'plastic',
        quantity: round(11 * w(7), 1),
        note: 'Plastik kemasan, ke bank sampah',
      },
    ];
    for (const [n, e] of entries.entries()) {
      if (e.date > today) continue;
      await registry.eco
        .addEcoRecord({
          ...e,
          id: `demo-eco-${month.slice(0, 7)}-${n}`,
          villageId: village.id,
          createdAt,
          createdBy: e.kind === 'waste' || e.kind === 'fuel' ? 'kemasan' : 'operator',
        })
        .catch(existsOk);
    }
  }
}

/**
 * The KUB's earlier months: each month an order of telur asin from a shop in town, three or four members'
 * lots (more of them in eco-friendly packaging as the year goes on), received, inspected and all shipped;
 * and Pak Budi's rice, sold at the village market. Months that would reach into the supply demo's own
 * three weeks are left out, so that story stays as it is.
 */
async function writeSupplyHistory(
  registry: Registry,
  store: TimeSeriesStore,
  village: VillageRecord,
  now: number,
): Promise<void> {
  const villageId = village.id;
  if (!(await registry.supply.getCooperative(villageId, DEMO_COOPERATIVE))) return;
  const producers = new Set((await registry.supply.listProducers(villageId)).map((p) => p.id));
  let clock = now;
  const service = new SupplyService({ registry, store, now: () => clock });
  const today = localDate(now, village.timeZone);
  const at = (date: string, hour: number) => localMidnight(date, village.timeZone) + hour * HOUR;
  const when = <T>(t: number, fn: () => Promise<T>) => {
    clock = Math.min(t, now);
    return fn();
  };
  const supplyDemoStarts = localDate(now - 21 * DAY, village.timeZone);
  const members = [
    { id: 'bu-siti', packs: 650 },
    { id: 'bu-rahma', packs: 480 },
    { id: 'pak-joko', packs: 320 },
    { id: 'bu-ani', packs: 400 },
  ].filter((m) => producers.has(m.id));

  for (let i = -12; i <= -1; i++) {
    const month = monthStart(today, i);
    const orderId = `po-rutin-${month.slice(2, 4)}${month.slice(5, 7)}`;
    if (withDay(month, 16) >= supplyDemoStarts) continue;
    if (await registry.supply.getOrder(villageId, orderId)) continue;
    const makers = members.filter((_, k) => k < 3 || i % 2 === 0);
    const lots = makers.map((m, k) => ({
      producerId: m.id,
      packs: Math.round((m.packs * (1 + 0.2 * wobble(i, 10 + k))) / 10) * 10,
      // Eco-friendly packs (paper trays) spread through the programme: one member more every four months.
      eco: k < Math.floor((i + 13) / 4),
    }));
    await when(at(withDay(month, 1), 9), () =>
      service.createOrder(
        villageId,
        {
          id: orderId,
          cooperativeId: DEMO_COOPERATIVE,
          buyerName: 'Toko Oleh-oleh Sumber Rejeki',
          productId: 'telur-asin',
          quantity: lots.reduce((s, l) => s + l.packs, 0),
          dueDate: withDay(month, 20),
          pricePerUnit: 12_000,
        },
        COORDINATOR,
      ),
    );
    const made: { lotId: string; packs: number }[] = [];
    for (const l of lots) {
      const lot = await when(at(withDay(month, 8), 7), () =>
        service.createLot(
          villageId,
          {
            productId: 'telur-asin',
            producerId: l.producerId,
            quantity: l.packs,
            producedOn: withDay(month, 8),
            orderId,
            packaging: l.eco ? 'eco' : 'standard',
            originNote: 'Dapur produksi anggota',
          },
          STAFF,
        ),
      );
      await when(at(withDay(month, 8), 10), () =>
        service.recordMovement(
          villageId,
          { lotId: lot.id, kind: 'receive', quantity: l.packs, toRoomId: 'ruang-telur', at: at(withDay(month, 8), 10) },
          STAFF,
        ),
      );
      await when(at(withDay(month, 9), 9), () =>
        service.inspect(villageId, lot.id, { defects: 0, notes: 'Contoh diperiksa: kulit, bau, kadar garam' }, STAFF),
      );
      made.push({ lotId: lot.id, packs: l.packs });
    }
    const shipment = await when(at(withDay(month, 12), 8), () =>
      service.createShipment(
        villageId,
        { id: `${orderId}-k1`, orderId, destination: 'Toko Oleh-oleh Sumber Rejeki, Madiun' },
        STAFF,
      ),
    );
    for (const m of made)
      await when(at(withDay(month, 12), 9), () =>
        service.pick(villageId, shipment.id, { lotId: m.lotId, roomId: 'ruang-telur', quantity: m.packs }, STAFF),
      );
    await when(at(withDay(month, 12), 14), () => service.dispatch(villageId, shipment.id, STAFF));
    await when(at(withDay(month, 13), 10), () => service.deliver(villageId, shipment.id, STAFF));
    if (producers.has('pak-budi'))
      await when(at(withDay(month, 15), 11), () =>
        service.createLot(
          villageId,
          {
            productId: 'beras',
            producerId: 'pak-budi',
            quantity: Math.round(450 * (1 + 0.25 * wobble(i, 20))),
            producedOn: withDay(month, 15),
            packaging: 'eco',
            originNote: 'Penggilingan padi desa; dijual di pasar kelurahan',
          },
          STAFF,
        ),
      );
  }
}

function existsOk(err: unknown): void {
  if (err instanceof RegistryError && err.kind === 'conflict') return;
  throw err;
}

/**
 * Environmental indicators and CSR reports on live village data (issue 6): gathers the figures
 * `computeIndicators` needs from the village's meters (time-series store), its hand-entered records and
 * its supply chain (registry), and makes, stores and renders CSR reports. The arithmetic and the GRI
 * mapping are in indicators.ts and report.ts (pure); docs/indicators.md says where each input comes from.
 */
import { randomBytes } from 'node:crypto';
import {
  type CsrReportSummary,
  ECO_RECORD_KINDS,
  type EcoRecord,
  EcoRecordInput,
  EcoSettings,
  type EcoSettingsInput,
  type SiteRecord,
  type VillageRecord,
} from '@lumbung/schemas';
import {
  addDays,
  addMonths,
  dayNumber,
  localDate,
  localMidnight,
  previousPeriod,
  tzOffsetMs,
} from '@lumbung/schemas/time';
import type { TimeSeriesStore } from '@lumbung/store';
import type { Lang } from '../documents/pdf.ts';
import { ApiFailure, invalidInput, issuesOf, registryFailure } from '../errors.ts';
import { type Registry, RegistryError } from '../registry/port.ts';
import { DEFAULT_FACTORS, type EmissionFactor, normalizeRegion } from './factors.ts';
import {
  computeIndicators,
  type IndicatorInputs,
  type Indicators,
  type MonthlyPoint,
  type Text2,
} from './indicators.ts';
import { csrReport, csrReportCsv, csrReportPdf } from './report.ts';

export interface EcoServiceDeps {
  registry: Registry;
  store: TimeSeriesStore;
  now?: () => number;
  /** The factor catalogue reports are made with (stored with each report). Default: DEFAULT_FACTORS. */
  factors?: readonly EmissionFactor[];
}

export type ReportTrigger = CsrReportSummary['trigger'];

/** A report as a file to download. */
export interface RenderedReport {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** Indicators shown in a report's summary (the list view); all of them are in the report itself. */
export const HEADLINE_KEYS = [
  'energy.total.kwh',
  'water.withdrawal.total',
  'emissions.total',
  'programme.active_producers',
  'programme.revenue',
] as const;

/** Longest period a report or an indicator query may cover: three years and a leap day. */
export const MAX_PERIOD_DAYS = 3 * 366;

const DAY = 86_400_000;
type Measure = 'energy' | 'water';
const METRIC: Record<Measure, string> = { energy: 'energy', water: 'water_volume' };
const DEFAULT_SOURCE: Record<Measure, string> = { energy: 'grid', water: 'municipal' };
type EnergySource = keyof IndicatorInputs['energyKwh'];
type WaterSource = keyof IndicatorInputs['waterM3'];

/** Figures of one month (or of a whole period) before they become IndicatorInputs. */
interface Parts {
  energy: Record<EnergySource, number>;
  fuel: { diesel: number; gasoline: number; lpg: number };
  water: Record<WaterSource, number>;
  wasteKg: number;
  hasEnergy: boolean;
  hasWater: boolean;
  hasFuel: boolean;
}

const emptyParts = (): Parts => ({
  energy: { grid: 0, solar: 0, generator: 0 },
  fuel: { diesel: 0, gasoline: 0, lpg: 0 },
  water: { groundwater: 0, municipal: 0, surface: 0, rainwater: 0 },
  wasteKg: 0,
  hasEnergy: false,
  hasWater: false,
  hasFuel: false,
});

/** One village's figures over a period. */
interface VillageFigures {
  village: { id: string; name: string; gridRegion: string };
  months: Map<string, Parts>;
  rainfallMm: number | null;
  productionKg: number;
  lots: { total: number; ecoPackaging: number };
  programme: IndicatorInputs['programme'];
  notes: Text2[];
}

/** What a stored report keeps, so that its PDF and CSV come out the same on every download. */
interface StoredInputs {
  version: 1;
  current: IndicatorInputs;
  previous: IndicatorInputs;
  factors: EmissionFactor[];
  notes: Text2[];
  meta: { partnerName: string; programmeName: string; villagesLabel: string; timeZone: string };
}

/** Figures for `computeIndicators`, with the data gaps found on the way. */
export interface CollectedInputs {
  inputs: IndicatorInputs;
  notes: Text2[];
}

const PRODUCTION_NOTE: Text2 = {
  id: 'Produksi (kg) dan lot: lot yang diproduksi dalam periode, jumlahnya dikurangi bagian yang menjadi bahan lot lain (telur bebek yang diasinkan dihitung sekali, sebagai telur asin), × berat per satuan produk (produk dalam kg: 1).',
  en: 'Production (kg) and lots: lots produced in the period, their quantity less what went into other lots (duck eggs salted into telur asin are counted once, as telur asin), × the product’s unit weight (a product sold by the kg: 1).',
};
const PROGRAMME_NOTE: Text2 = {
  id: 'Keluaran program: produsen dengan lot dalam periode; lot dalam pengiriman yang berangkat dalam periode; pendapatan = jumlah yang dikirim × harga per satuan pesanan KUB (Rp).',
  en: 'Programme outputs: producers with a lot in the period; lots on shipments dispatched in the period; revenue = quantity shipped × the KUB order’s price per unit (IDR).',
};

/**
 * The village's indicator settings, figures and reports. Stateless apart from its dependencies: the API
 * and the monthly schedule each hold one.
 */
export class EcoService {
  readonly #now: () => number;
  readonly #factors: readonly EmissionFactor[];

  constructor(private readonly deps: EcoServiceDeps) {
    this.#now = deps.now ?? Date.now;
    this.#factors = deps.factors ?? DEFAULT_FACTORS;
  }

  get #registry(): Registry {
    return this.deps.registry;
  }

  async #village(villageId: string): Promise<VillageRecord> {
    const v = await this.#registry.getVillage(villageId);
    if (!v) throw new ApiFailure('LUMBUNG_ERR_VILLAGE_NOT_FOUND', { villageId });
    return v;
  }

  // ── settings ──

  /** The stored settings, or the defaults (grid region from the province, energy meters → grid, water → PDAM). */
  async settings(villageId: string): Promise<EcoSettings> {
    const village = await this.#village(villageId);
    const stored = await this.#registry.eco.getEcoSettings(villageId);
    return stored ?? defaultSettings(village, await this.#registry.listSites(villageId));
  }

  /** Replaces the settings; every meter named must be a meter point of the village, its source fit what it measures. */
  async putSettings(villageId: string, input: EcoSettingsInput): Promise<EcoSettings> {
    await this.#village(villageId);
    const parsed = EcoSettings.safeParse({ ...input, villageId });
    if (!parsed.success) throw invalidInput(issuesOf(parsed.error));
    const settings = parsed.data;
    const sites = new Map((await this.#registry.listSites(villageId)).map((s) => [s.id, s]));
    for (const [siteId, source] of Object.entries(settings.meterSources)) {
      const site = sites.get(siteId);
      if (site?.kind !== 'meter_point')
        throw invalidInput(`meterSources.${siteId}: no meter point "${siteId}" in this village`);
      const measure = measureOf(site);
      const allowed: readonly string[] = measure ? ECO_RECORD_KINDS[measure] : [];
      if (!allowed.includes(source))
        throw invalidInput(
          `meterSources.${siteId}: a ${measure ?? 'meter'} meter's source is one of ${allowed.join('/')}`,
        );
    }
    return this.#registry.eco.putEcoSettings(settings).catch(registryFailure);
  }

  // ── records ──

  async listRecords(villageId: string, q: { from?: string; to?: string } = {}): Promise<EcoRecord[]> {
    await this.#village(villageId);
    return this.#registry.eco.listEcoRecords(villageId, q);
  }

  /** A figure entered by hand; its date may not lie in the village's future. */
  async addRecord(villageId: string, input: EcoRecordInput, by: string): Promise<EcoRecord> {
    const village = await this.#village(villageId);
    const parsed = EcoRecordInput.safeParse(input);
    if (!parsed.success) throw invalidInput(issuesOf(parsed.error));
    const r = parsed.data;
    const now = this.#now();
    if (r.date > localDate(now, village.timeZone))
      throw invalidInput(`date: ${r.date} is in the future (today is ${localDate(now, village.timeZone)})`);
    return this.#registry.eco
      .addEcoRecord({
        id: `eco-${randomBytes(8).toString('hex')}`,
        villageId,
        date: r.date,
        kind: r.kind,
        source: r.source,
        quantity: r.quantity,
        note: r.note,
        createdAt: now,
        createdBy: by,
      })
      .catch(registryFailure);
  }

  // ── indicators ──

  /** The figures `computeIndicators` needs for the villages over [from, to) (local dates). */
  async inputs(villageIds: readonly string[], from: string, to: string): Promise<IndicatorInputs> {
    return (await this.collect(villageIds, from, to)).inputs;
  }

  /** `computeIndicators` over the period, with the data gaps found added to its notes. */
  async indicators(villageIds: readonly string[], from: string, to: string): Promise<Indicators> {
    const { inputs, notes } = await this.collect(villageIds, from, to);
    const result = computeIndicators(inputs, this.#factors);
    return { ...result, notes: [...result.notes, ...notes] };
  }

  /** `inputs()` and the notes on what was missing or left out. */
  async collect(villageIds: readonly string[], from: string, to: string): Promise<CollectedInputs> {
    checkPeriod(from, to);
    const ids = [...new Set(villageIds)];
    if (ids.length === 0) throw invalidInput('no village');
    const villages = await Promise.all(ids.map((id) => this.#village(id)));
    const figures = await Promise.all(villages.map((v) => this.#villageFigures(v, from, to)));
    return combine(figures, { from, to }, this.#factors);
  }

  async #villageFigures(village: VillageRecord, from: string, to: string): Promise<VillageFigures> {
    const { registry, store } = this.deps;
    const tz = village.timeZone;
    const fromMs = localMidnight(from, tz);
    const toMs = localMidnight(to, tz);
    // Indonesian zones keep one offset all year; a zone with daylight saving would shift the day buckets by
    // an hour for part of the year, which moves a little use between two days of the same month.
    const offset = -tzOffsetMs(tz, fromMs);
    const monthOf = (ts: number) => localDate(ts, tz).slice(0, 7);
    const [stored, sites, devices, records] = await Promise.all([
      registry.eco.getEcoSettings(village.id),
      registry.listSites(village.id),
      registry.listDevices(village.id),
      registry.eco.listEcoRecords(village.id, { from, to }),
    ]);
    const settings = stored ?? defaultSettings(village, sites);
    const notes: Text2[] = [];
    const months = new Map<string, Parts>();
    const month = (m: string) => {
      let p = months.get(m);
      if (!p) months.set(m, (p = emptyParts()));
      return p;
    };
    for (const m of monthsOf(from, to)) month(m);

    // Meters: cumulative counters, so each local day's `increase` (resets handled by the store), summed per month.
    for (const site of sites.filter((s) => s.kind === 'meter_point')) {
      const measure = measureOf(site);
      if (!measure) continue;
      // Settings are checked when they are written; a source that does not fit (written before a meter
      // changed what it measures) falls back to the default rather than inventing a bucket.
      const named = settings.meterSources[site.id];
      const source =
        named && (ECO_RECORD_KINDS[measure] as readonly string[]).includes(named) ? named : DEFAULT_SOURCE[measure];
      let seen = false;
      for (const device of devices.filter((d) => d.siteId === site.id)) {
        const buckets = await store.queryBuckets({
          villageId: village.id,
          deviceId: device.id,
          metric: METRIC[measure],
          from: fromMs,
          to: toMs,
          step: DAY,
          offset,
          aggs: ['increase'],
        });
        for (const b of buckets) {
          const amount = b.values.increase;
          if (amount === undefined || !Number.isFinite(amount)) continue;
          seen = true;
          const p = month(monthOf(b.ts));
          if (measure === 'energy') {
            p.energy[source as EnergySource] += amount;
            p.hasEnergy = true;
          } else {
            p.water[source as WaterSource] += amount;
            p.hasWater = true;
          }
        }
      }
      if (!seen)
        notes.push({
          id: `${village.name}: tidak ada pembacaan meter "${site.name}" dalam periode; pemakaiannya dihitung 0`,
          en: `${village.name}: no readings from meter "${site.name}" in the period; its use counts as 0`,
        });
    }

    // Figures entered by hand.
    for (const r of records) {
      const p = month(r.date.slice(0, 7));
      if (r.kind === 'energy') {
        p.energy[r.source as EnergySource] += r.quantity;
        p.hasEnergy = true;
      } else if (r.kind === 'water') {
        p.water[r.source as WaterSource] += r.quantity;
        p.hasWater = true;
      } else if (r.kind === 'fuel') {
        p.fuel[r.source as keyof Parts['fuel']] += r.quantity;
        p.hasFuel = true;
      } else p.wasteKg += r.quantity;
    }

    // Rainfall: the period's total of each weather station, the mean of the stations that reported.
    const totals: number[] = [];
    const stations = new Set(sites.filter((s) => s.kind === 'weather').map((s) => s.id));
    for (const device of devices.filter((d) => d.siteId !== null && stations.has(d.siteId))) {
      const buckets = await store.queryBuckets({
        villageId: village.id,
        deviceId: device.id,
        metric: 'rainfall',
        from: fromMs,
        to: toMs,
        step: DAY,
        offset,
        aggs: ['sum'],
      });
      if (buckets.length > 0) totals.push(buckets.reduce((s, b) => s + (b.values.sum ?? 0), 0));
    }
    const rainfallMm = totals.length > 0 ? totals.reduce((s, x) => s + x, 0) / totals.length : null;

    const supply = await this.#supplyFigures(village, from, to, fromMs, toMs);
    return {
      village: { id: village.id, name: village.name, gridRegion: settings.gridRegion },
      months,
      rainfallMm,
      ...supply,
      notes: [...notes, ...supply.notes],
    };
  }

  /** Production, packaging and programme outputs from the supply chain's records (registry.supply). */
  async #supplyFigures(
    village: VillageRecord,
    from: string,
    to: string,
    fromMs: number,
    toMs: number,
  ): Promise<Pick<VillageFigures, 'productionKg' | 'lots' | 'programme' | 'notes'>> {
    const s = this.#registry.supply;
    const [lots, products, edges, shipments, orders] = await Promise.all([
      s.listLots(village.id, { withInputs: false }),
      s.listProducts(village.id),
      s.lotEdges(village.id),
      s.listShipments(village.id),
      s.listOrders(village.id),
    ]);
    const product = new Map(products.map((p) => [p.id, p]));
    // What went into other lots is counted in those lots, not twice.
    const consumed = new Map<string, number>();
    for (const e of edges) consumed.set(e.inputLotId, (consumed.get(e.inputLotId) ?? 0) + e.quantity);

    let productionKg = 0;
    let total = 0;
    let ecoPackaging = 0;
    const producers = new Set<string>();
    const unweighted = new Map<string, number>();
    for (const lot of lots) {
      if (lot.producedOn < from || lot.producedOn >= to) continue;
      producers.add(lot.producerId);
      const net = lot.quantity - (consumed.get(lot.id) ?? 0);
      if (net <= 0) continue;
      total++;
      if (lot.packaging === 'eco') ecoPackaging++;
      const p = product.get(lot.productId);
      const weight = p?.unitWeightKg ?? (p?.unit === 'kg' ? 1 : null);
      if (weight === null) unweighted.set(lot.productId, (unweighted.get(lot.productId) ?? 0) + 1);
      else productionKg += net * weight;
    }
    const notes: Text2[] = [];
    if (unweighted.size > 0) {
      const n = [...unweighted.values()].reduce((a, b) => a + b, 0);
      const list = [...unweighted].map(([id, c]) => `${product.get(id)?.name ?? id} (${c})`).join(', ');
      notes.push({
        id: `${village.name}: ${n} lot tanpa berat per satuan produk tidak dihitung dalam produksi (kg): ${list}. Isi berat per satuan di katalog produk.`,
        en: `${village.name}: ${n} lots whose product has no unit weight are left out of production (kg): ${list}. Set the unit weight in the product catalogue.`,
      });
    }

    const dispatched = new Map(
      shipments
        .filter(
          (x) =>
            (x.status === 'dispatched' || x.status === 'delivered') &&
            x.dispatchedAt !== null &&
            x.dispatchedAt >= fromMs &&
            x.dispatchedAt < toMs,
        )
        .map((x) => [x.id, x]),
    );
    const price = new Map(orders.map((o) => [o.id, o.pricePerUnit]));
    const shippedLots = new Set<string>();
    let revenueIdr = 0;
    if (dispatched.size > 0) {
      for (const m of await s.listMovements(village.id, { kinds: ['pick'] })) {
        const shipment = m.shipmentId ? dispatched.get(m.shipmentId) : undefined;
        if (!shipment) continue;
        shippedLots.add(m.lotId);
        revenueIdr += m.quantity * (price.get(shipment.orderId) ?? 0);
      }
    }
    return {
      productionKg,
      lots: { total, ecoPackaging },
      programme: { activeProducers: producers.size, lotsShipped: shippedLots.size, revenueIdr },
      notes,
    };
  }

  // ── CSR reports ──

  /**
   * Makes and stores the report of [from, to) against the previous period of the same length (the same
   * number of calendar months when the period is whole months, else of days). `conflict` (409) when a
   * report of the village, period and trigger exists.
   */
  async createReport(
    villageId: string,
    req: { from: string; to: string; villageIds?: readonly string[] | undefined },
    o: { trigger: ReportTrigger; by: string },
  ): Promise<CsrReportSummary> {
    const village = await this.#village(villageId);
    checkPeriod(req.from, req.to);
    const villageIds = [...new Set([villageId, ...(req.villageIds ?? [])])];
    const prev = previousPeriod(req.from, req.to);
    const [current, previous, settings] = await Promise.all([
      this.collect(villageIds, req.from, req.to),
      this.collect(villageIds, prev.from, prev.to),
      this.settings(villageId),
    ]);
    const { monthly: _monthly, ...previousInputs } = previous.inputs;
    const names = current.inputs.villages.map((v) => v.name);
    const stored: StoredInputs = {
      version: 1,
      current: current.inputs,
      previous: previousInputs,
      factors: [...this.#factors],
      notes: current.notes,
      meta: {
        partnerName: settings.csrPartnerName ?? 'Tanpa mitra CSR / No CSR partner',
        programmeName: settings.csrProgrammeName ?? 'Lumbung',
        villagesLabel: names.length <= 3 ? names.join(', ') : `${names.length} desa/kelurahan`,
        timeZone: village.timeZone,
      },
    };
    const generatedAt = this.#now();
    const model = csrReport(stored.current, stored.previous, stored.factors, {
      ...stored.meta,
      generatedAt,
      lang: 'id',
    });
    const headline = HEADLINE_KEYS.map((key) => {
      const row = model.rows.find((r) => r.key === key);
      return { key, value: row?.value ?? null, unit: row?.unit ?? '', changePct: row?.changePct ?? null };
    });
    const summary: CsrReportSummary = {
      id: `csr-${randomBytes(8).toString('hex')}`,
      villageId,
      villageIds,
      from: req.from,
      to: req.to,
      generatedAt,
      trigger: o.trigger,
      generatedBy: o.by,
      partnerName: stored.meta.partnerName,
      programmeName: stored.meta.programmeName,
      headline,
    };
    const { inputs: _inputs, ...saved } = await this.#registry.eco
      .addCsrReport({ ...summary, inputs: stored })
      .catch((err: unknown) => {
        if (err instanceof RegistryError && err.kind === 'conflict')
          throw new ApiFailure('LUMBUNG_ERR_REPORT_EXISTS', { from: req.from, last: addDays(req.to, -1) });
        return registryFailure(err);
      });
    return saved;
  }

  async listReports(villageId: string): Promise<CsrReportSummary[]> {
    await this.#village(villageId);
    return this.#registry.eco.listCsrReports(villageId);
  }

  async getReport(villageId: string, reportId: string): Promise<CsrReportSummary & { inputs: unknown }> {
    const r = await this.#registry.eco.getCsrReport(villageId, reportId);
    if (!r) throw new ApiFailure('LUMBUNG_ERR_REPORT_NOT_FOUND', { reportId });
    return r;
  }

  /** The stored report as PDF (in `lang`) or CSV, rendered from the inputs and factors it was made with. */
  async renderReport(villageId: string, reportId: string, format: 'pdf' | 'csv', lang: Lang): Promise<RenderedReport> {
    const r = await this.getReport(villageId, reportId);
    const stored = r.inputs as StoredInputs;
    if (stored?.version !== 1) throw new Error(`report ${reportId}: unknown stored inputs`);
    const model = csrReport(stored.current, stored.previous, stored.factors, {
      ...stored.meta,
      generatedAt: r.generatedAt,
      lang,
    });
    model.methodNotes.notes.push(...stored.notes);
    // The period's first and last day, as the dashboard names it: two reports never share a name.
    const filename = `laporan-csr-${r.villageId}-${r.from}-${addDays(r.to, -1)}`;
    if (format === 'csv')
      return {
        filename: `${filename}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: Buffer.from(csrReportCsv(model), 'utf8'),
      };
    return { filename: `${filename}.pdf`, contentType: 'application/pdf', body: await csrReportPdf(model) };
  }
}

// ── combining villages ──

function combine(figures: VillageFigures[], period: IndicatorInputs['period'], factors: readonly EmissionFactor[]) {
  const villages = figures.map((f) => f.village);
  const regions = new Set(villages.map((v) => normalizeRegion(v.gridRegion)));
  const total = emptyParts();
  const gridByRegion = new Map<string, number>();
  const months = [...new Set(figures.flatMap((f) => [...f.months.keys()]))].sort();
  const monthly: MonthlyPoint[] = [];
  for (const m of months) {
    const parts = emptyParts();
    const monthGrid = new Map<string, number>();
    for (const f of figures) {
      const p = f.months.get(m);
      if (!p) continue;
      add(parts, p);
      const region = normalizeRegion(f.village.gridRegion);
      monthGrid.set(region, (monthGrid.get(region) ?? 0) + p.energy.grid);
    }
    add(total, parts);
    for (const [r, kwh] of monthGrid) gridByRegion.set(r, (gridByRegion.get(r) ?? 0) + kwh);
    // A month's emissions through the same arithmetic as the period's, with its own year's grid factor.
    const monthInputs = toInputs(
      parts,
      { from: `${m}-01`, to: `${m}-01` },
      villages,
      regions.size > 1 ? monthGrid : null,
    );
    const emissions = computeIndicators(monthInputs, factors).items.find((i) => i.key === 'emissions.total')?.value;
    monthly.push({
      month: m,
      energyKwh: parts.hasEnergy ? parts.energy.grid + parts.energy.solar + parts.energy.generator : null,
      waterM3: parts.hasWater ? sumOf(Object.values(parts.water)) : null,
      emissionsKgCo2e:
        (parts.hasEnergy || parts.hasFuel) && emissions !== null && emissions !== undefined ? emissions * 1000 : null,
    });
  }
  const rain = figures.map((f) => f.rainfallMm).filter((x): x is number => x !== null);
  const inputs: IndicatorInputs = {
    ...toInputs(total, period, villages, regions.size > 1 ? gridByRegion : null),
    productionKg: sumOf(figures.map((f) => f.productionKg)),
    rainfallMm: rain.length > 0 ? sumOf(rain) / rain.length : null,
    lots: {
      total: sumOf(figures.map((f) => f.lots.total)),
      ecoPackaging: sumOf(figures.map((f) => f.lots.ecoPackaging)),
    },
    programme: {
      activeProducers: sumOf(figures.map((f) => f.programme.activeProducers)),
      lotsShipped: sumOf(figures.map((f) => f.programme.lotsShipped)),
      revenueIdr: sumOf(figures.map((f) => f.programme.revenueIdr)),
    },
    monthly,
  };
  return { inputs, notes: [PRODUCTION_NOTE, PROGRAMME_NOTE, ...figures.flatMap((f) => f.notes)] };
}

function toInputs(
  p: Parts,
  period: IndicatorInputs['period'],
  villages: IndicatorInputs['villages'],
  gridByRegion: Map<string, number> | null,
): IndicatorInputs {
  return {
    period,
    villages,
    energyKwh: { ...p.energy },
    fuelLitres: { diesel: p.fuel.diesel, gasoline: p.fuel.gasoline, lpgKg: p.fuel.lpg },
    waterM3: { ...p.water },
    productionKg: 0,
    rainfallMm: null,
    lots: { total: 0, ecoPackaging: 0 },
    wasteKg: p.wasteKg,
    programme: { activeProducers: 0, lotsShipped: 0, revenueIdr: 0 },
    ...(gridByRegion ? { gridKwhByRegion: Object.fromEntries(gridByRegion) } : {}),
  };
}

function add(into: Parts, p: Parts): void {
  for (const k of Object.keys(into.energy) as EnergySource[]) into.energy[k] += p.energy[k];
  for (const k of Object.keys(into.water) as WaterSource[]) into.water[k] += p.water[k];
  into.fuel.diesel += p.fuel.diesel;
  into.fuel.gasoline += p.fuel.gasoline;
  into.fuel.lpg += p.fuel.lpg;
  into.wasteKg += p.wasteKg;
  into.hasEnergy ||= p.hasEnergy;
  into.hasWater ||= p.hasWater;
  into.hasFuel ||= p.hasFuel;
}

const sumOf = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

// ── settings ──

/** What a meter point measures (its site's record); a meter point that does not say is left out. */
function measureOf(site: SiteRecord): Measure | undefined {
  return site.meterPoint?.measures;
}

const JAMALI = /jawa|java|jakarta|banten|yogyakarta|bali/i;
const SUMATERA = /sumatera|sumatra|aceh|riau|jambi|bengkulu|lampung|bangka/i;

/** A village's settings before anyone set them: the grid of its province, energy meters → PLN, water → PDAM. */
export function defaultSettings(
  village: Pick<VillageRecord, 'id' | 'province'>,
  sites: readonly SiteRecord[],
): EcoSettings {
  const province = village.province ?? '';
  const gridRegion = JAMALI.test(province) ? 'jamali' : SUMATERA.test(province) ? 'sumatera' : 'indonesia';
  const meterSources: Record<string, string> = {};
  for (const s of sites) {
    const measure = s.kind === 'meter_point' ? measureOf(s) : undefined;
    if (measure) meterSources[s.id] = DEFAULT_SOURCE[measure];
  }
  return { villageId: village.id, gridRegion, meterSources, csrPartnerName: null, csrProgrammeName: null };
}

// ── dates ──

/** 'YYYY-MM' of every month that [from, to) touches. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m < to; m = addMonths(m, 1)) out.push(m.slice(0, 7));
  return out;
}

/** The calendar month before the one `ts` falls in, in the zone. */
export function previousMonth(ts: number, timeZone: string): { from: string; to: string } {
  const to = `${localDate(ts, timeZone).slice(0, 7)}-01`;
  return { from: addMonths(to, -1), to };
}

function checkPeriod(from: string, to: string): void {
  let days: number;
  try {
    days = dayNumber(to) - dayNumber(from);
  } catch (err) {
    throw invalidInput((err as Error).message);
  }
  if (days <= 0) throw new ApiFailure('LUMBUNG_ERR_TIME_RANGE');
  if (days > MAX_PERIOD_DAYS) throw invalidInput(`a period of at most ${MAX_PERIOD_DAYS} days, not ${days}`);
}

// ── errors ──

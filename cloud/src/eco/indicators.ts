/**
 * Environmental indicators for CSR reporting (issue 6), computed from inputs that are already aggregated
 * over the period (meter deltas, record counts). Pure: no store, no clock. docs/indicators.md gives each
 * indicator's formula, its GRI disclosure and what it cannot tell.
 *
 * A value that cannot be computed (a zero denominator, a missing factor, a missing measurement) is null
 * with a reason, never NaN or Infinity, and an indicator that is an estimate says so in its flags.
 */
import {
  DEFAULT_FACTORS,
  type EmissionFactor,
  type FuelKind,
  fuelFactorFor,
  GRID_REGIONS,
  normalizeRegion,
  resolveGridFactor,
} from './factors.ts';

export interface MonthlyPoint {
  month: string; // 'YYYY-MM', local
  energyKwh: number | null;
  waterM3: number | null;
  emissionsKgCo2e: number | null;
}

export interface IndicatorInputs {
  period: { from: string; to: string /* local dates, inclusive-exclusive */ };
  villages: { id: string; name: string; gridRegion: string }[];
  /** grid: PLN kWh bought; solar: self-generated and used; generator: electrical output of a fuel genset. */
  energyKwh: { grid: number; solar: number; generator: number };
  /** All fuel burnt, including the generator's. */
  fuelLitres: { diesel: number; gasoline: number; lpgKg?: number };
  waterM3: { groundwater: number; municipal /* PDAM */: number; surface: number; rainwater: number };
  productionKg: number;
  rainfallMm: number | null;
  lots: { total: number; ecoPackaging: number };
  wasteKg: number;
  programme: { activeProducers: number; lotsShipped: number; revenueIdr: number };
  /** Grid kWh split by grid region, when the villages sit on different grids. */
  gridKwhByRegion?: Record<string, number>;
  monthly?: MonthlyPoint[];
}

export type IndicatorGroup =
  | 'energy'
  | 'fuel'
  | 'water'
  | 'emissions'
  | 'climate'
  | 'materials'
  | 'waste'
  | 'programme';
export type IndicatorFlag =
  | 'estimate'
  | 'upper_bound'
  | 'lower_bound'
  | 'conservative'
  | 'unverified_factor'
  | 'fallback_factor'
  | 'informational';

export interface Text2 {
  id: string;
  en: string;
}

export interface Indicator {
  key: string;
  group: IndicatorGroup;
  value: number | null;
  unit: string;
  /** Decimals to show; the value itself is not rounded. */
  decimals: number;
  gri: string[];
  labelId: string;
  labelEn: string;
  /** How it was computed, with the factor ids used (English; `methodId` is the Indonesian text). */
  method: string;
  methodId: string;
  /** Why the value is null, or what limits it. */
  reason?: Text2;
  flags: IndicatorFlag[];
  factorIds: string[];
}

export interface FactorUse {
  factor: EmissionFactor;
  usedFor: string[];
  note: string;
}

export interface Indicators {
  period: IndicatorInputs['period'];
  villages: IndicatorInputs['villages'];
  items: Indicator[];
  factorsUsed: FactorUse[];
  /** Notes that apply to the whole set (assumptions, scope). */
  notes: Text2[];
}

/** GRI 302-1 reports energy in joules: 1 kWh = 3.6 MJ = 0.0036 GJ. */
export const GJ_PER_KWH = 0.0036;

const INVALID: Text2 = {
  id: 'data masukan tidak valid (negatif atau bukan angka)',
  en: 'invalid input (negative or not a number)',
};

function valid(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

/** numerator / denominator, or null with the reason when it cannot be divided. */
function ratio(numerator: number | null, denominator: number, what: Text2): { value: number | null; reason?: Text2 } {
  // A missing numerator already carries its own reason; the caller passes it on.
  if (numerator === null) return { value: null };
  if (!valid(denominator)) return { value: null, reason: INVALID };
  if (denominator === 0) {
    return {
      value: null,
      reason: { id: `tidak dapat dihitung: ${what.id} nol`, en: `cannot be computed: ${what.en} is zero` },
    };
  }
  const value = numerator / denominator;
  return Number.isFinite(value) ? { value } : { value: null, reason: INVALID };
}

function sum(values: number[]): number | null {
  return values.every(valid) ? values.reduce((s, v) => s + v, 0) : null;
}

export function computeIndicators(
  inputs: IndicatorInputs,
  factors: readonly EmissionFactor[] = DEFAULT_FACTORS,
): Indicators {
  const items: Indicator[] = [];
  const uses = new Map<string, FactorUse>();
  const useFactor = (factor: EmissionFactor, key: string, note: string) => {
    const use = uses.get(factor.id) ?? { factor, usedFor: [], note };
    if (!use.usedFor.includes(key)) use.usedFor.push(key);
    uses.set(factor.id, use);
  };
  const add = (i: Omit<Indicator, 'flags' | 'factorIds'> & Partial<Pick<Indicator, 'flags' | 'factorIds'>>) => {
    const value = i.value !== null && Number.isFinite(i.value) ? i.value : null;
    items.push({
      ...i,
      value,
      flags: i.flags ?? [],
      factorIds: i.factorIds ?? [],
      ...(value === null && !i.reason ? { reason: INVALID } : {}),
    });
  };
  const orInvalid = (x: number) => (valid(x) ? x : null);

  const production = inputs.productionKg;
  const productionText: Text2 = { id: 'produksi (kg)', en: 'production (kg)' };

  // ---- Energy (GRI 302-1, 302-3) ----
  const e = inputs.energyKwh;
  for (const [source, labelId, labelEn] of [
    ['grid', 'Listrik PLN (jaringan)', 'PLN grid electricity'],
    ['solar', 'Listrik surya (dibangkitkan sendiri)', 'Solar electricity (self-generated)'],
  ] as const) {
    const kwh = orInvalid(e[source]);
    const note =
      source === 'grid'
        ? 'kWh meter readings on PLN supplies, summed over the period'
        : 'kWh meter readings on solar inverters, self-generated and consumed';
    const noteId =
      source === 'grid'
        ? 'selisih pembacaan meter kWh sambungan PLN selama periode'
        : 'selisih pembacaan meter kWh inverter surya, dibangkitkan dan dipakai sendiri';
    add({
      key: `energy.${source}.kwh`,
      group: 'energy',
      value: kwh,
      unit: 'kWh',
      decimals: 1,
      gri: ['302-1'],
      labelId,
      labelEn,
      method: note,
      methodId: noteId,
    });
    add({
      key: `energy.${source}.gj`,
      group: 'energy',
      value: kwh === null ? null : kwh * GJ_PER_KWH,
      unit: 'GJ',
      decimals: 2,
      gri: ['302-1'],
      labelId: `${labelId} (GJ)`,
      labelEn: `${labelEn} (GJ)`,
      method: `kWh × 0.0036 GJ/kWh`,
      methodId: `kWh × 0,0036 GJ/kWh`,
    });
  }

  // Fuel burnt: litres (kg for LPG) and their energy from IPCC net calorific values.
  const fuelAmounts: Record<FuelKind, number> = {
    diesel: inputs.fuelLitres.diesel,
    gasoline: inputs.fuelLitres.gasoline,
    lpg: inputs.fuelLitres.lpgKg ?? 0,
  };
  const fuelLabels: Record<FuelKind, [string, string, string]> = {
    diesel: ['Solar (diesel)', 'Diesel (Solar)', 'L'],
    gasoline: ['Bensin', 'Gasoline', 'L'],
    lpg: ['LPG', 'LPG', 'kg'],
  };
  for (const fuel of ['diesel', 'gasoline', 'lpg'] as const) {
    const [labelId, labelEn, unit] = fuelLabels[fuel];
    add({
      key: `fuel.${fuel}`,
      group: 'fuel',
      value: orInvalid(fuelAmounts[fuel]),
      unit,
      decimals: 1,
      gri: ['302-1'],
      labelId: `Bahan bakar: ${labelId}`,
      labelEn: `Fuel: ${labelEn}`,
      method: 'fuel purchase and use records, summed over the period',
      methodId: 'catatan pembelian dan pemakaian bahan bakar selama periode',
    });
  }

  let fuelGj: number | null = 0;
  const fuelParts: string[] = [];
  const fuelIds: string[] = [];
  let fuelReason: Text2 | undefined;
  for (const fuel of ['diesel', 'gasoline', 'lpg'] as const) {
    const amount = fuelAmounts[fuel];
    if (!valid(amount)) {
      fuelGj = null;
      fuelReason = INVALID;
      break;
    }
    if (amount === 0) continue;
    const f = fuelFactorFor(fuel, factors);
    if (!f || f.energyMjPerUnit === undefined) {
      fuelGj = null;
      fuelReason = {
        id: `tidak ada nilai kalor untuk ${fuel} di katalog faktor`,
        en: `no calorific value for ${fuel} in the factor catalogue`,
      };
      break;
    }
    const gj = (amount * f.energyMjPerUnit) / 1000;
    fuelGj = (fuelGj ?? 0) + gj;
    fuelParts.push(`${fuel} ${amount} × ${f.energyMjPerUnit.toFixed(3)} MJ = ${gj.toFixed(3)} GJ`);
    fuelIds.push(f.id);
    useFactor(f, 'energy.fuel.gj', 'net calorific value (IPCC 2006 V2 Ch1 T1.2)');
  }
  add({
    key: 'energy.fuel.gj',
    group: 'energy',
    value: fuelGj,
    unit: 'GJ',
    decimals: 2,
    gri: ['302-1'],
    labelId: 'Energi bahan bakar (non-terbarukan)',
    labelEn: 'Fuel energy (non-renewable)',
    method: `amount × net calorific value (IPCC 2006 V2 Ch1 T1.2; density assumed for litres)${
      fuelParts.length ? `: ${fuelParts.join('; ')}` : ''
    }`,
    methodId: `jumlah × nilai kalor neto (IPCC 2006 V2 Bab 1 Tabel 1.2; massa jenis diasumsikan untuk liter)`,
    ...(fuelReason ? { reason: fuelReason } : {}),
    factorIds: fuelIds,
  });

  const generator = orInvalid(e.generator);
  add({
    key: 'energy.generator.kwh',
    group: 'energy',
    value: generator,
    unit: 'kWh',
    decimals: 1,
    gri: [],
    labelId: 'Listrik genset (keluaran)',
    labelEn: 'Generator electricity (output)',
    method:
      'kWh meter on the generator output. Not added to total energy: the fuel it burnt is counted in fuel energy (GRI 302-1 counts fuel consumed, not the electricity made from it)',
    methodId:
      'meter kWh pada keluaran genset. Tidak dijumlahkan ke total energi: bahan bakarnya sudah dihitung di energi bahan bakar (GRI 302-1 menghitung bahan bakar yang dipakai, bukan listrik hasilnya)',
    flags: ['informational'],
  });

  // GRI 302-1: total = fuel consumed + electricity purchased + self-generated renewable electricity consumed.
  // A genset whose fuel was not recorded would vanish from that sum; its output is then the best we have.
  const noFuelForGenerator =
    valid(e.generator) && e.generator > 0 && fuelAmounts.diesel === 0 && fuelAmounts.gasoline === 0;
  const gridKwh = orInvalid(e.grid);
  const solarKwh = orInvalid(e.solar);
  let totalKwh: number | null = null;
  if (gridKwh !== null && solarKwh !== null && fuelGj !== null && generator !== null) {
    totalKwh = gridKwh + solarKwh + fuelGj / GJ_PER_KWH + (noFuelForGenerator ? generator : 0);
  }
  const totalFlags: IndicatorFlag[] = noFuelForGenerator ? ['lower_bound'] : [];
  const totalReason: Text2 | undefined = noFuelForGenerator
    ? {
        id: 'genset menghasilkan listrik tetapi tidak ada catatan solar/bensin: keluaran genset dipakai sebagai batas bawah',
        en: 'the generator produced electricity but no diesel/gasoline was recorded: its output is used as a lower bound',
      }
    : totalKwh === null
      ? (fuelReason ?? INVALID)
      : undefined;
  const totalMethod = `grid kWh + solar kWh + fuel energy (GJ ÷ 0.0036)${noFuelForGenerator ? ' + generator output kWh' : ''}`;
  const totalMethodId = `kWh PLN + kWh surya + energi bahan bakar (GJ ÷ 0,0036)${noFuelForGenerator ? ' + kWh keluaran genset' : ''}`;
  add({
    key: 'energy.total.kwh',
    group: 'energy',
    value: totalKwh,
    unit: 'kWh',
    decimals: 1,
    gri: ['302-1'],
    labelId: 'Total konsumsi energi',
    labelEn: 'Total energy consumption',
    method: totalMethod,
    methodId: totalMethodId,
    flags: totalFlags,
    ...(totalReason ? { reason: totalReason } : {}),
  });
  add({
    key: 'energy.total.gj',
    group: 'energy',
    value: totalKwh === null ? null : totalKwh * GJ_PER_KWH,
    unit: 'GJ',
    decimals: 2,
    gri: ['302-1'],
    labelId: 'Total konsumsi energi (GJ)',
    labelEn: 'Total energy consumption (GJ)',
    method: `${totalMethod}, × 0.0036 GJ/kWh`,
    methodId: `${totalMethodId}, × 0,0036 GJ/kWh`,
    flags: totalFlags,
    ...(totalReason ? { reason: totalReason } : {}),
  });
  const energyIntensity = ratio(totalKwh, production, productionText);
  add({
    key: 'energy.intensity',
    group: 'energy',
    value: energyIntensity.value,
    unit: 'kWh/kg',
    decimals: 3,
    gri: ['302-3'],
    labelId: 'Intensitas energi per kg produk',
    labelEn: 'Energy intensity per kg of product',
    method: 'total energy consumption (kWh, all types: fuel, grid, solar) ÷ production (kg)',
    methodId: 'total konsumsi energi (kWh, semua jenis: bahan bakar, PLN, surya) ÷ produksi (kg)',
    flags: totalFlags,
    ...(energyIntensity.reason ? { reason: energyIntensity.reason } : totalReason ? { reason: totalReason } : {}),
  });

  // ---- Water (GRI 303-3, 303-5) ----
  const w = inputs.waterM3;
  const waterSources = [
    ['groundwater', 'Air tanah (sumur/bor)', 'Groundwater (wells)', 'GRI 303-3 groundwater'],
    ['municipal', 'Air pihak ketiga (PDAM)', 'Third-party water (PDAM)', 'GRI 303-3 third-party water'],
    ['surface', 'Air permukaan (sungai, irigasi)', 'Surface water (river, irrigation)', 'GRI 303-3 surface water'],
    [
      'rainwater',
      'Air hujan yang ditampung',
      'Harvested rainwater',
      'counted as surface water in GRI 303-3 (our classification)',
    ],
  ] as const;
  for (const [source, labelId, labelEn, category] of waterSources) {
    add({
      key: `water.withdrawal.${source}`,
      group: 'water',
      value: orInvalid(w[source]),
      unit: 'm³',
      decimals: 1,
      gri: ['303-3'],
      labelId: `Pengambilan air: ${labelId}`,
      labelEn: `Water withdrawal: ${labelEn}`,
      method: `water meter readings, summed over the period; ${category}; assumed freshwater (<= 1,000 mg/L total dissolved solids), not measured`,
      methodId: `selisih pembacaan meter air selama periode; diasumsikan air tawar (<= 1.000 mg/L padatan terlarut total), tidak diukur`,
    });
  }
  const withdrawal = sum([w.groundwater, w.municipal, w.surface, w.rainwater]);
  add({
    key: 'water.withdrawal.total',
    group: 'water',
    value: withdrawal,
    unit: 'm³',
    decimals: 1,
    gri: ['303-3'],
    labelId: 'Total pengambilan air',
    labelEn: 'Total water withdrawal',
    method:
      'groundwater + third-party (PDAM) + surface + harvested rainwater; all assumed freshwater (<= 1,000 mg/L TDS)',
    methodId: 'air tanah + PDAM + air permukaan + air hujan; semua diasumsikan air tawar (<= 1.000 mg/L TDS)',
  });
  add({
    key: 'water.consumption',
    group: 'water',
    value: withdrawal,
    unit: 'm³',
    decimals: 1,
    gri: ['303-5'],
    labelId: 'Konsumsi air (perkiraan, batas atas)',
    labelEn: 'Water consumption (estimate, upper bound)',
    method:
      'GRI 303-5 consumption = withdrawal - discharge. Discharge is not metered, so this is total withdrawal: an upper bound, reported as an estimate',
    methodId:
      'GRI 303-5: konsumsi = pengambilan - pembuangan. Pembuangan tidak diukur, jadi nilai ini sama dengan total pengambilan: batas atas, dilaporkan sebagai perkiraan',
    flags: ['estimate', 'upper_bound'],
    reason: {
      id: 'pembuangan air (discharge) tidak diukur; konsumsi sebenarnya lebih kecil atau sama',
      en: 'water discharge is not metered; actual consumption is lower or equal',
    },
  });
  const waterIntensity = ratio(withdrawal === null ? null : withdrawal * 1000, production, productionText);
  add({
    key: 'water.intensity',
    group: 'water',
    value: waterIntensity.value,
    unit: 'L/kg',
    decimals: 2,
    gri: [],
    labelId: 'Intensitas air per kg produk',
    labelEn: 'Water intensity per kg of product',
    method: 'total water withdrawal (m³ × 1,000 L/m³) ÷ production (kg)',
    methodId: 'total pengambilan air (m³ × 1.000 L/m³) ÷ produksi (kg)',
    ...(waterIntensity.reason ? { reason: waterIntensity.reason } : {}),
  });

  // ---- Emissions (GRI 305-1, 305-2, 305-4) ----
  let scope1Kg: number | null = 0;
  let scope1Reason: Text2 | undefined;
  const scope1Parts: string[] = [];
  const scope1Ids: string[] = [];
  for (const fuel of ['diesel', 'gasoline', 'lpg'] as const) {
    const amount = fuelAmounts[fuel];
    if (!valid(amount)) {
      scope1Kg = null;
      scope1Reason = INVALID;
      break;
    }
    if (amount === 0) continue;
    const f = fuelFactorFor(fuel, factors);
    if (!f) {
      scope1Kg = null;
      scope1Reason = {
        id: `tidak ada faktor emisi ${fuel} di katalog`,
        en: `no ${fuel} emission factor in the catalogue`,
      };
      break;
    }
    const kg = amount * f.value;
    scope1Kg = (scope1Kg ?? 0) + kg;
    scope1Parts.push(
      `${fuel} ${amount} ${f.unit.split('/')[1]} × ${f.value.toFixed(4)} ${f.unit} = ${kg.toFixed(2)} kg`,
    );
    scope1Ids.push(f.id);
    useFactor(f, 'emissions.scope1', 'scope 1 fuel factor');
  }
  const scope1Flags: IndicatorFlag[] = noFuelForGenerator ? ['lower_bound'] : [];
  if (noFuelForGenerator && !scope1Reason) {
    scope1Reason = {
      id: 'genset menghasilkan listrik tetapi tidak ada catatan bahan bakar: emisinya tidak terhitung',
      en: 'the generator produced electricity but no fuel was recorded: its emissions are missing',
    };
  }
  add({
    key: 'emissions.scope1',
    group: 'emissions',
    value: scope1Kg === null ? null : scope1Kg / 1000,
    unit: 't CO2e',
    decimals: 3,
    gri: ['305-1'],
    labelId: 'Emisi langsung (Cakupan 1)',
    labelEn: 'Direct emissions (Scope 1)',
    method: `fuel × IPCC 2006 factor (CO2, CH4, N2O; GWP AR5)${scope1Parts.length ? `: ${scope1Parts.join('; ')}` : ': no fuel used'}; ÷ 1,000 kg/t`,
    methodId: `bahan bakar × faktor IPCC 2006 (CO2, CH4, N2O; GWP AR5); ÷ 1.000 kg/t`,
    flags: scope1Flags,
    factorIds: scope1Ids,
    ...(scope1Reason ? { reason: scope1Reason } : {}),
  });

  const scope2 = scope2Location(inputs, factors);
  for (const u of scope2.uses) useFactor(u.factor, 'emissions.scope2_location', u.note);
  add({
    key: 'emissions.scope2_location',
    group: 'emissions',
    value: scope2.kg === null ? null : scope2.kg / 1000,
    unit: 't CO2e',
    decimals: 3,
    gri: ['305-2'],
    labelId: 'Emisi tidak langsung energi (Cakupan 2, berbasis lokasi)',
    labelEn: 'Energy indirect emissions (Scope 2, location-based)',
    method: `${scope2.method}; solar self-generation counts as 0; ÷ 1,000 kg/t`,
    methodId: `${scope2.methodId}; listrik surya sendiri dihitung 0; ÷ 1.000 kg/t`,
    flags: scope2.flags,
    factorIds: scope2.uses.map((u) => u.factor.id),
    ...(scope2.reason ? { reason: scope2.reason } : {}),
  });

  const totalKg = scope1Kg !== null && scope2.kg !== null ? scope1Kg + scope2.kg : null;
  const totalEmissionFlags = [...new Set([...scope1Flags, ...scope2.flags])];
  const totalEmissionReason = scope1Reason ?? scope2.reason;
  add({
    key: 'emissions.total',
    group: 'emissions',
    value: totalKg === null ? null : totalKg / 1000,
    unit: 't CO2e',
    decimals: 3,
    gri: ['305-1', '305-2'],
    labelId: 'Total emisi (Cakupan 1 + 2)',
    labelEn: 'Total emissions (Scope 1 + 2)',
    method: 'scope 1 + scope 2 (location-based)',
    methodId: 'cakupan 1 + cakupan 2 (berbasis lokasi)',
    flags: totalEmissionFlags,
    factorIds: [...scope1Ids, ...scope2.uses.map((u) => u.factor.id)],
    ...(totalEmissionReason ? { reason: totalEmissionReason } : {}),
  });
  const emissionIntensity = ratio(totalKg, production, productionText);
  add({
    key: 'emissions.intensity',
    group: 'emissions',
    value: emissionIntensity.value,
    unit: 'kg CO2e/kg',
    decimals: 3,
    gri: ['305-4'],
    labelId: 'Intensitas emisi per kg produk',
    labelEn: 'Emission intensity per kg of product',
    method: '(scope 1 + scope 2 location-based, kg CO2e) ÷ production (kg); gases CO2, CH4, N2O',
    methodId: '(cakupan 1 + cakupan 2 berbasis lokasi, kg CO2e) ÷ produksi (kg); gas CO2, CH4, N2O',
    flags: totalEmissionFlags,
    ...(emissionIntensity.reason
      ? { reason: emissionIntensity.reason }
      : totalEmissionReason
        ? { reason: totalEmissionReason }
        : {}),
  });

  // ---- Rainfall, packaging, waste ----
  const rain = inputs.rainfallMm;
  add({
    key: 'climate.rainfall',
    group: 'climate',
    value: rain === null ? null : orInvalid(rain),
    unit: 'mm',
    decimals: 1,
    gri: [],
    labelId: 'Curah hujan',
    labelEn: 'Rainfall',
    method: 'rain gauge totals over the period (mean of the villages with a gauge)',
    methodId: 'jumlah penakar hujan selama periode (rata-rata desa yang memiliki penakar)',
    ...(rain === null ? { reason: { id: 'tidak ada data penakar hujan', en: 'no rain gauge data' } } : {}),
  });
  const lotsTotal = inputs.lots.total;
  const eco = ratio(valid(inputs.lots.ecoPackaging) ? inputs.lots.ecoPackaging * 100 : null, lotsTotal, {
    id: 'jumlah lot',
    en: 'number of lots',
  });
  add({
    key: 'packaging.eco_share',
    group: 'materials',
    value: eco.value,
    unit: '%',
    decimals: 1,
    gri: [],
    labelId: 'Lot berkemasan ramah lingkungan',
    labelEn: 'Lots in eco-friendly packaging',
    method: 'lots packed in eco-friendly packaging ÷ lots produced × 100',
    methodId: 'lot berkemasan ramah lingkungan ÷ lot yang diproduksi × 100',
    ...(eco.reason ? { reason: eco.reason } : {}),
  });
  add({
    key: 'waste.generated',
    group: 'waste',
    value: orInvalid(inputs.wasteKg),
    unit: 'kg',
    decimals: 1,
    gri: ['306-3'],
    labelId: 'Limbah yang dihasilkan',
    labelEn: 'Waste generated',
    method: 'weighed waste records, summed over the period; not broken down by composition or destination',
    methodId: 'catatan timbangan limbah selama periode; tidak dirinci menurut jenis atau tujuan',
  });

  // ---- Programme outputs ----
  const p = inputs.programme;
  add({
    key: 'programme.active_producers',
    group: 'programme',
    value: orInvalid(p.activeProducers),
    unit: 'producers',
    decimals: 0,
    gri: [],
    labelId: 'Produsen aktif',
    labelEn: 'Active producers',
    method: 'producers with at least one lot in the period',
    methodId: 'produsen dengan setidaknya satu lot dalam periode',
  });
  add({
    key: 'programme.lots_shipped',
    group: 'programme',
    value: orInvalid(p.lotsShipped),
    unit: 'lots',
    decimals: 0,
    gri: [],
    labelId: 'Lot yang dikirim',
    labelEn: 'Lots shipped',
    method: 'lots on shipments dispatched in the period',
    methodId: 'lot dalam pengiriman yang berangkat selama periode',
  });
  add({
    key: 'programme.revenue',
    group: 'programme',
    value: orInvalid(p.revenueIdr),
    unit: 'IDR',
    decimals: 0,
    gri: [],
    labelId: 'Pendapatan dari pesanan KUB',
    labelEn: 'Revenue from KUB orders',
    method: 'value of KUB bulk orders shipped in the period',
    methodId: 'nilai pesanan besar KUB yang dikirim selama periode',
  });

  return {
    period: inputs.period,
    villages: inputs.villages,
    items,
    factorsUsed: [...uses.values()],
    notes: [
      {
        id: 'Air: semua pengambilan diasumsikan air tawar (<= 1.000 mg/L padatan terlarut total); kualitas air tidak diukur.',
        en: 'Water: all withdrawal is assumed to be freshwater (<= 1,000 mg/L total dissolved solids); water quality is not measured.',
      },
      {
        id: 'Solar di Indonesia adalah campuran biodiesel (B35-B40); seluruhnya dihitung sebagai solar fosil, sehingga cakupan 1 cenderung lebih tinggi dari sebenarnya.',
        en: 'Indonesian diesel (Solar) is a biodiesel blend (B35-B40); all of it is counted as fossil diesel, so scope 1 tends to be overstated.',
      },
      {
        id: 'Cakupan 2 berbasis lokasi memakai faktor emisi jaringan menurut wilayah dan tahun; faktor jaringan hanya mencakup CO2.',
        en: 'Scope 2 is location-based, with grid factors by region and year; grid factors cover CO2 only.',
      },
    ],
  };
}

interface Scope2Result {
  kg: number | null;
  method: string;
  methodId: string;
  flags: IndicatorFlag[];
  reason?: Text2;
  uses: { factor: EmissionFactor; note: string }[];
}

/**
 * Scope 2, location-based (GHG Protocol Scope 2 Guidance; GRI 305-2): grid kWh × the grid region's
 * factor for the period's year. Villages on one grid share its factor; villages on several grids need
 * `gridKwhByRegion`, and without it the highest of their factors is used so the figure is not understated.
 */
function scope2Location(inputs: IndicatorInputs, factors: readonly EmissionFactor[]): Scope2Result {
  const grid = inputs.energyKwh.grid;
  const year = Number(inputs.period.from.slice(0, 4));
  if (!valid(grid))
    return {
      kg: null,
      method: 'grid kWh × grid factor',
      methodId: 'kWh PLN × faktor jaringan',
      flags: [],
      reason: INVALID,
      uses: [],
    };
  if (grid === 0) {
    return {
      kg: 0,
      method: 'no grid electricity used in the period',
      methodId: 'tidak ada pemakaian listrik PLN dalam periode',
      flags: [],
      uses: [],
    };
  }
  const flags: IndicatorFlag[] = [];
  const uses: { factor: EmissionFactor; note: string }[] = [];
  const fellBack: string[] = [];
  const resolve = (region: string): { factor: EmissionFactor; note: string } | null => {
    const r = resolveGridFactor(region, year, factors);
    if (r) {
      if (!r.factor.verified) flags.push('unverified_factor');
      return { factor: r.factor, note: r.note };
    }
    const fallback = resolveGridFactor('indonesia', year, factors);
    if (!fallback) return null;
    flags.push('fallback_factor');
    fellBack.push(normalizeRegion(region));
    if (!fallback.factor.verified) flags.push('unverified_factor');
    return {
      factor: fallback.factor,
      note: `${fallback.note}; used because region '${normalizeRegion(region)}' has no factor for ${year} or before`,
    };
  };
  const regionLabel = (r: string) => GRID_REGIONS[r]?.labelEn ?? r;
  const missing = (region: string): Scope2Result => ({
    kg: null,
    method: 'grid kWh × grid factor',
    methodId: 'kWh PLN × faktor jaringan',
    flags,
    reason: {
      id: `tidak ada faktor emisi jaringan untuk wilayah '${region}' tahun ${year} (atau sebelumnya); tambahkan ke katalog faktor`,
      en: `no grid emission factor for region '${region}' in ${year} (or before); add one to the factor catalogue`,
    },
    uses,
  });

  if (inputs.gridKwhByRegion && Object.keys(inputs.gridKwhByRegion).length > 0) {
    let kg = 0;
    const parts: string[] = [];
    for (const [region, kwh] of Object.entries(inputs.gridKwhByRegion)) {
      if (!valid(kwh)) return { ...missing(region), reason: INVALID };
      const f = resolve(region);
      if (!f) return missing(region);
      uses.push(f);
      kg += kwh * f.factor.value;
      parts.push(`${regionLabel(normalizeRegion(region))}: ${kwh} kWh × ${f.factor.value} kg CO2/kWh (${f.factor.id})`);
    }
    const reason = fallbackReason(fellBack);
    return {
      kg,
      ...(reason ? { reason } : {}),
      method: `grid kWh by region × grid factor: ${parts.join('; ')}`,
      methodId: `kWh PLN per wilayah × faktor jaringan (${uses.map((u) => u.factor.id).join(', ')})`,
      flags: [...new Set(flags)],
      uses,
    };
  }

  const regions = [...new Set(inputs.villages.map((v) => normalizeRegion(v.gridRegion)))];
  if (regions.length === 0) {
    return {
      kg: null,
      method: 'grid kWh × grid factor',
      methodId: 'kWh PLN × faktor jaringan',
      flags,
      reason: { id: 'tidak ada desa dalam laporan', en: 'no villages in the report' },
      uses,
    };
  }
  const resolved: { region: string; factor: EmissionFactor; note: string }[] = [];
  for (const region of regions) {
    const f = resolve(region);
    if (!f) return missing(region);
    resolved.push({ region, ...f });
  }
  resolved.sort((a, b) => b.factor.value - a.factor.value);
  const chosen = resolved[0]!;
  uses.push({ factor: chosen.factor, note: chosen.note });
  let method = `grid kWh × ${chosen.factor.value} kg CO2/kWh (${chosen.factor.id}, ${regionLabel(chosen.region)}) = ${grid} × ${chosen.factor.value}`;
  let methodId = `kWh PLN × ${chosen.factor.value} kg CO2/kWh (${chosen.factor.id})`;
  let reason: Text2 | undefined;
  if (resolved.length > 1) {
    flags.push('conservative');
    method += `; villages are on ${resolved.length} grids and grid kWh is not split by grid, so the highest factor is used`;
    methodId += `; desa berada di ${resolved.length} jaringan dan kWh PLN tidak dipisah per jaringan, jadi faktor tertinggi dipakai`;
    reason = {
      id: 'desa di beberapa jaringan tanpa rincian kWh per jaringan: faktor tertinggi dipakai (konservatif)',
      en: 'villages on several grids without kWh per grid: the highest factor is used (conservative)',
    };
  }
  reason = fallbackReason(fellBack) ?? reason;
  if (!chosen.factor.verified) {
    reason = {
      id: `faktor jaringan ${chosen.factor.id} belum terverifikasi (asumsi)`,
      en: `grid factor ${chosen.factor.id} is not verified (an assumption)`,
    };
  }
  return {
    kg: grid * chosen.factor.value,
    method,
    methodId,
    flags: [...new Set(flags)],
    ...(reason ? { reason } : {}),
    uses,
  };
}

function fallbackReason(regions: string[]): Text2 | undefined {
  if (regions.length === 0) return undefined;
  const list = regions.join(', ');
  return {
    id: `tidak ada faktor jaringan untuk wilayah ${list}: rata-rata nasional dipakai`,
    en: `no grid factor for region ${list}: the national average is used`,
  };
}

/** The indicator with `key`; throws if there is none, which would be a programming error. */
export function indicatorByKey(indicators: Indicators, key: string): Indicator {
  const found = indicators.items.find((i) => i.key === key);
  if (!found) throw new Error(`no indicator '${key}'`);
  return found;
}

/**
 * Emission factor catalogue (issue 6), as data. Every factor carries its source; a value we could not check
 * against the publication itself is marked `verified: false` and says so in `source`, and the CSR report
 * prints that flag next to it. docs/indicators.md explains each choice.
 *
 * Grid factors (scope 2, location-based) are per grid region and year, in t CO2/MWh (= kg CO2/kWh).
 * Fuel factors (scope 1) are built from IPCC 2006 defaults, with the arithmetic kept next to the number:
 *
 *   energy (TJ)     = mass (Gg) × NCV (TJ/Gg)                     IPCC 2006 Vol. 2 Ch. 1 Table 1.2
 *   CO2 (kg)        = energy (TJ) × EF_CO2 (kg/TJ)                Vol. 2 Ch. 1 Table 1.4; Ch. 2 Eq. 2.1
 *   CH4, N2O (kg)   = energy (TJ) × EF (kg/TJ)                    Vol. 2 Ch. 2 Table 2.4 (commercial/institutional)
 *   CO2e (kg)       = CO2 + 28 × CH4 + 265 × N2O                  GWP-100 from IPCC AR5 WG1 Ch. 8 Table 8.7
 *
 * Table 2.4 fits a packing house, warehouse or village office running a generator; its CO2 factors are the
 * same as for every other stationary category, only CH4 differs (10 kg/TJ against 3 for energy industries),
 * which moves the total by well under 1 %.
 */

export type FactorKind = 'grid' | 'fuel';
export type FuelKind = 'diesel' | 'gasoline' | 'lpg';

export interface EmissionFactor {
  id: string;
  kind: FactorKind;
  /** Grid region id, lower case (see GRID_REGIONS). */
  region?: string;
  /** The year the factor describes. */
  year?: number;
  fuel?: FuelKind;
  /** kg CO2e per unit for fuels; t CO2/MWh for grids. */
  value: number;
  unit: string;
  source: string;
  url?: string;
  /** False when the value could not be checked against its publication: treat it as an assumption. */
  verified: boolean;
  /** Fuel factors: the arithmetic from IPCC defaults to `value`, one step a line. */
  derivation?: string[];
  /** Fuel factors: net calorific energy per unit (MJ/L or MJ/kg), for GRI 302-1 fuel energy. */
  energyMjPerUnit?: number;
}

/** Grid regions we hold factors for, and the names a village record may use for them. */
export const GRID_REGIONS: Record<string, { labelId: string; labelEn: string; aliases: string[] }> = {
  jamali: {
    labelId: 'Jawa-Madura-Bali (Jamali)',
    labelEn: 'Java-Madura-Bali (Jamali)',
    aliases: ['jawa-madura-bali', 'jawa-bali', 'java-madura-bali', 'java-bali'],
  },
  sumatera: { labelId: 'Sumatera', labelEn: 'Sumatra', aliases: ['sumatra'] },
  indonesia: {
    labelId: 'Indonesia (rata-rata nasional)',
    labelEn: 'Indonesia (national average)',
    aliases: ['nasional', 'national'],
  },
};

export function normalizeRegion(region: string): string {
  const r = region.trim().toLowerCase();
  for (const [id, def] of Object.entries(GRID_REGIONS)) {
    if (id === r || def.aliases.includes(r)) return id;
  }
  return r;
}

/** IPCC AR5 WG1 Ch. 8 Table 8.7, 100-year GWP without climate-carbon feedbacks (used for UNFCCC reporting). */
export const GWP_AR5 = { CO2: 1, CH4: 28, N2O: 265 } as const;
/** IPCC AR6 WG1 Ch. 7 Table 7.15 (fossil CH4), for comparison only; the catalogue uses AR5. */
export const GWP_AR6 = { CO2: 1, CH4: 29.8, N2O: 273 } as const;

/**
 * IPCC 2006 Vol. 2 defaults per fuel: NCV (TJ/Gg, Ch. 1 Table 1.2), CO2 (kg/TJ, Ch. 1 Table 1.4), CH4 and
 * N2O for stationary combustion in commercial/institutional use (kg/TJ, Ch. 2 Table 2.4).
 */
export const IPCC_2006_FUELS: Record<
  FuelKind,
  { ipccName: string; ncvTjPerGg: number; co2KgPerTj: number; ch4KgPerTj: number; n2oKgPerTj: number }
> = {
  diesel: { ipccName: 'Gas/Diesel Oil', ncvTjPerGg: 43.0, co2KgPerTj: 74_100, ch4KgPerTj: 10, n2oKgPerTj: 0.6 },
  gasoline: { ipccName: 'Motor Gasoline', ncvTjPerGg: 44.3, co2KgPerTj: 69_300, ch4KgPerTj: 10, n2oKgPerTj: 0.6 },
  lpg: { ipccName: 'Liquefied Petroleum Gases', ncvTjPerGg: 47.3, co2KgPerTj: 63_100, ch4KgPerTj: 5, n2oKgPerTj: 0.1 },
};

/**
 * Densities to turn litres into mass. IPCC gives factors per mass or energy, not per litre, so these are
 * our assumptions: diesel (Solar/B-blend) and gasoline (Pertalite/Pertamax) at the middle of the density
 * ranges in their Indonesian specifications, roughly 815-860 and 715-770 kg/m³.
 */
export const DENSITY_KG_PER_L: Record<'diesel' | 'gasoline', number> = { diesel: 0.84, gasoline: 0.74 };

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** kg CO2e per unit of fuel (litre, or kg for LPG), with each step of the arithmetic written out. */
export function fuelFactorArithmetic(
  fuel: FuelKind,
  gwp: { CH4: number; N2O: number } = GWP_AR5,
): { kgCo2ePerUnit: number; energyMjPerUnit: number; unit: string; steps: string[] } {
  const d = IPCC_2006_FUELS[fuel];
  const perLitre = fuel !== 'lpg';
  const massKg = perLitre ? DENSITY_KG_PER_L[fuel] : 1;
  const energyTj = (massKg / 1e6) * d.ncvTjPerGg;
  const co2 = energyTj * d.co2KgPerTj;
  const ch4 = energyTj * d.ch4KgPerTj;
  const n2o = energyTj * d.n2oKgPerTj;
  const co2e = co2 + gwp.CH4 * ch4 + gwp.N2O * n2o;
  const unit = perLitre ? 'L' : 'kg';
  const gg = (massKg / 1e6).toFixed(8).replace(/0+$/, '');
  const mj = round(energyTj * 1e6, 4);
  const steps = [
    perLitre ? `mass = 1 L × ${massKg} kg/L (assumed density) = ${massKg} kg = ${gg} Gg` : `mass = 1 kg = ${gg} Gg`,
    `energy = ${gg} Gg × ${d.ncvTjPerGg} TJ/Gg (NCV, IPCC 2006 V2 Ch1 T1.2) = ${mj} MJ`,
    `CO2 = ${mj} MJ × ${d.co2KgPerTj} kg/TJ (V2 Ch1 T1.4) = ${round(co2, 6)} kg`,
    `CH4 = ${mj} MJ × ${d.ch4KgPerTj} kg/TJ (V2 Ch2 T2.4) = ${round(ch4, 8)} kg; × GWP ${gwp.CH4} = ${round(gwp.CH4 * ch4, 6)} kg CO2e`,
    `N2O = ${mj} MJ × ${d.n2oKgPerTj} kg/TJ (V2 Ch2 T2.4) = ${round(n2o, 9)} kg; × GWP ${gwp.N2O} = ${round(gwp.N2O * n2o, 6)} kg CO2e`,
    `total = ${round(co2e, 6)} kg CO2e per ${unit}`,
  ];
  return { kgCo2ePerUnit: co2e, energyMjPerUnit: energyTj * 1e6, unit, steps };
}

function fuelFactor(fuel: FuelKind): EmissionFactor {
  const a = fuelFactorArithmetic(fuel);
  const d = IPCC_2006_FUELS[fuel];
  const density =
    fuel === 'lpg'
      ? ''
      : `; litres to mass with an assumed density of ${DENSITY_KG_PER_L[fuel]} kg/L (middle of the Indonesian fuel specification range)`;
  return {
    id: `fuel-${fuel}-ipcc2006-ar5`,
    kind: 'fuel',
    fuel,
    value: a.kgCo2ePerUnit,
    unit: `kg CO2e/${a.unit}`,
    source:
      `IPCC 2006 Guidelines Vol. 2 (Energy): ${d.ipccName}, NCV ${d.ncvTjPerGg} TJ/Gg (Ch. 1 Table 1.2), ` +
      `CO2 ${d.co2KgPerTj} kg/TJ (Ch. 1 Table 1.4), CH4 ${d.ch4KgPerTj} and N2O ${d.n2oKgPerTj} kg/TJ ` +
      `(Ch. 2 Table 2.4, stationary, commercial/institutional); GWP-100 IPCC AR5 (CH4 28, N2O 265)${density}`,
    url: 'https://www.ipcc-nggip.iges.or.jp/public/2006gl/vol2.html',
    verified: true,
    derivation: a.steps,
    energyMjPerUnit: a.energyMjPerUnit,
  };
}

export const DEFAULT_FACTORS: readonly EmissionFactor[] = Object.freeze([
  {
    id: 'grid-jamali-2012-bur2',
    kind: 'grid',
    region: 'jamali',
    year: 2012,
    value: 0.814,
    unit: 't CO2/MWh',
    source:
      "Republic of Indonesia, Second Biennial Update Report to the UNFCCC (KLHK, 2018), Appendix 1 'Mitigation " +
      "actions for energy sector', action 1: 'EF JAMALI electricity grid: in 2012 is 0.814 tonne CO2e/MWh'.",
    verified: true,
  },
  {
    id: 'grid-jamali-2019-ruptl',
    kind: 'grid',
    region: 'jamali',
    year: 2019,
    value: 0.817,
    unit: 't CO2/MWh',
    source:
      'PT PLN (Persero), RUPTL 2019-2028: grid emission factor of the Jawa-Bali and Nusa Tenggara systems for ' +
      "2019, 0.817 t CO2/MWh, as quoted by IESR (jejakkarbonku.id, 'Grid Emission Factor', 2022). A planning-" +
      'document figure, not the KESDM ex-post combined margin for Jamali, which we could not open.',
    url: 'https://jejakkarbonku.id/pustaka/36',
    verified: true,
  },
  {
    id: 'grid-indonesia-2015-ruptl',
    kind: 'grid',
    region: 'indonesia',
    year: 2015,
    value: 0.867,
    unit: 't CO2/MWh',
    source:
      "PT PLN (Persero), RUPTL 2015-2024, ch. 6: 'Average grid emission factor untuk Indonesia pada tahun 2015 " +
      "adalah 0,867 kgCO2/kWh' (all systems). Used only when a village's grid region has no factor.",
    verified: true,
  },
  {
    id: 'grid-sumatera-2019-unverified',
    kind: 'grid',
    region: 'sumatera',
    year: 2019,
    value: 0.761,
    unit: 't CO2/MWh',
    source:
      'ASSUMPTION, NOT VERIFIED: 0.761 t CO2/MWh is the value circulating for the Sumatera interconnected system ' +
      'as the KESDM (Ditjen Ketenagalistrikan) grid emission factor; we found it only in a third-party ' +
      "registry and could not open the KESDM 'Faktor Emisi GRK Sistem Interkoneksi Ketenagalistrikan' " +
      'publication. Replace it with the official value before publishing a report that uses it.',
    verified: false,
  },
  fuelFactor('diesel'),
  fuelFactor('gasoline'),
  fuelFactor('lpg'),
] satisfies EmissionFactor[]);

export interface GridResolution {
  factor: EmissionFactor;
  /** True when the factor's year is the year asked for. */
  exactYear: boolean;
  note: string;
}

/**
 * The grid factor for a region and year: that year's if the catalogue has it, otherwise the latest earlier
 * year's (grid factors are published a year or more late), and never a later year's. Where one year has
 * more than one factor a verified one wins. Null when the region has no factor for that year or before.
 */
export function resolveGridFactor(
  region: string,
  year: number,
  factors: readonly EmissionFactor[] = DEFAULT_FACTORS,
): GridResolution | null {
  const wanted = normalizeRegion(region);
  const candidates = factors.filter(
    (f) => f.kind === 'grid' && f.region !== undefined && normalizeRegion(f.region) === wanted && (f.year ?? 0) <= year,
  );
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || Number(b.verified) - Number(a.verified));
  const factor = candidates[0]!;
  const exactYear = factor.year === year;
  const note = exactYear
    ? `${factor.id}: grid factor for ${wanted} ${year}`
    : `${factor.id}: no grid factor for ${wanted} ${year}; the latest earlier one (${factor.year}) is used`;
  return { factor, exactYear, note: factor.verified ? note : `${note} (UNVERIFIED value, treat as an assumption)` };
}

/** The catalogue's factor for a fuel (the first one, when a custom catalogue lists several). */
export function fuelFactorFor(fuel: FuelKind, factors: readonly EmissionFactor[] = DEFAULT_FACTORS) {
  return factors.find((f) => f.kind === 'fuel' && f.fuel === fuel) ?? null;
}

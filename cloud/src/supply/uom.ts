/**
 * Units of measure in EPCIS exports: UN/CEFACT Recommendation 20 ("Codes for Units of Measure Used in
 * International Trade"), the code list EPCIS 2.0 names for `uom` (quantities
 * and sensor reports alike). The GS1 JSON Schema only checks the shape of a quantity's
 * `uom` (`^[A-Z0-9]{2,3}$`) and not at all that of a sensor report, so `CELSIUS` or `XYZ` would pass it:
 * every `uom` we write or validate is looked up here instead.
 *
 * Only the codes Lumbung uses (its canonical units, STYLE.md "Units, time, names") and the ones in GS1's
 * example documents we test against are listed; add a code with its Rec 20 name when a new unit appears.
 */

import type { ProductUnit } from '@lumbung/schemas';

/** How a product is counted or measured: `PRODUCT_UNITS` in @lumbung/schemas. */
export type LotUnit = ProductUnit;

export interface UomInfo {
  /** Rec 20 name, as UN/CEFACT spells it. */
  name: string;
  /** The symbol Lumbung shows next to a value. */
  symbol: string;
}

export const REC20_UNITS = {
  CEL: { name: 'degree Celsius', symbol: '°C' },
  KEL: { name: 'kelvin', symbol: 'K' },
  P1: { name: 'percent', symbol: '%' },
  A93: { name: 'gram per cubic metre', symbol: 'g/m³' },
  KGM: { name: 'kilogram', symbol: 'kg' },
  GRM: { name: 'gram', symbol: 'g' },
  TNE: { name: 'tonne (metric ton)', symbol: 't' },
  LTR: { name: 'litre', symbol: 'l' },
  MLT: { name: 'millilitre', symbol: 'ml' },
  MTQ: { name: 'cubic metre', symbol: 'm³' },
  KWH: { name: 'kilowatt hour', symbol: 'kWh' },
  WTT: { name: 'watt', symbol: 'W' },
  KWT: { name: 'kilowatt', symbol: 'kW' },
  D54: { name: 'watt per square metre', symbol: 'W/m²' },
  MMT: { name: 'millimetre', symbol: 'mm' },
  MTR: { name: 'metre', symbol: 'm' },
  MTS: { name: 'metre per second', symbol: 'm/s' },
  KMH: { name: 'kilometre per hour', symbol: 'km/h' },
  PAL: { name: 'pascal', symbol: 'Pa' },
  A97: { name: 'hectopascal', symbol: 'hPa' },
  LUX: { name: 'lux', symbol: 'lx' },
  SEC: { name: 'second [unit of time]', symbol: 's' },
  MIN: { name: 'minute [unit of time]', symbol: 'min' },
  HUR: { name: 'hour', symbol: 'h' },
  H87: { name: 'piece', symbol: 'pc' },
  C62: { name: 'one', symbol: '1' },
} as const satisfies Record<string, UomInfo>;

export type Uom = keyof typeof REC20_UNITS;

export function isUom(code: unknown): code is Uom {
  return typeof code === 'string' && Object.hasOwn(REC20_UNITS, code);
}

/** The code itself, or an Error naming it (Bahasa Indonesia first, then English). */
export function assertUom(code: unknown): Uom {
  if (isUom(code)) return code;
  throw new Error(
    `Kode satuan ${JSON.stringify(code)} bukan kode UN/CEFACT Rec 20 yang dikenal / ` +
      `${JSON.stringify(code)} is not a known UN/CEFACT Rec 20 unit code`,
  );
}

/**
 * The `uom` of a lot's quantity. Counted units (pieces, packs) have none: in EPCIS 2.0 a quantity
 * without `uom` is a count of instances of the class, which is what a pack of telur asin is.
 */
export function lotUnitUom(unit: LotUnit): Uom | undefined {
  switch (unit) {
    case 'pcs':
    case 'pack':
      return undefined;
    case 'kg':
      return 'KGM';
    case 'litre':
      return 'LTR';
    default: {
      const never: never = unit;
      throw new Error(`Satuan produk tidak dikenal / unknown product unit ${JSON.stringify(never)}`);
    }
  }
}

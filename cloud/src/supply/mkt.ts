// Mean kinetic temperature (MKT): the single constant temperature that would degrade a product as much as
// the temperatures it actually saw, assuming Arrhenius kinetics (Haynes 1971; USP <1079.2>):
//
//   MKT = (ΔH/R) / −ln( Σ wᵢ·exp(−ΔH/(R·Tᵢ)) / Σ wᵢ )        Tᵢ in kelvin, wᵢ the time each Tᵢ lasted
//
// Because exp() weighs warm periods more than cool ones, MKT ≥ the (time-weighted) arithmetic mean, with
// equality only for a constant temperature (Jensen's inequality on a convex function of 1/T).

/** ΔH, the activation energy USP <1079.2> uses by default (kJ/mol). */
export const DEFAULT_DELTA_H_KJ_PER_MOL = 83.144;

/**
 * R in kJ/(mol·K). USP <1079.2> takes 0.0083144 (8.3144 J/(mol·K)), chosen with ΔH = 83.144 so that
 * ΔH/R is exactly 10,000 K, the value every published MKT table and data-logger report uses. The CODATA
 * value (8.314462618 J/(mol·K); 8.3144598 in CODATA 2014) gives ΔH/R = 9,999.92 K and moves an MKT by under
 * 0.0001 °C for storage temperatures (tested): we keep USP's value so results match theirs to the digit.
 */
export const GAS_CONSTANT_KJ_PER_MOL_K = 0.0083144;

const KELVIN = 273.15;

export interface MktSample {
  celsius: number;
  /** How long this temperature lasted (any unit, the same for all samples); 1 when omitted. */
  weight?: number;
}

/** Running MKT over samples added one at a time, so callers with long series need no arrays. */
export interface MktAccumulator {
  add(celsius: number, weight: number): void;
  /** MKT in °C, or null before any positive weight was added. */
  value(): number | null;
}

/** ΔH/R in kelvin: 10,000 K for the default ΔH. */
export function activationTemperature(deltaH: number = DEFAULT_DELTA_H_KJ_PER_MOL): number {
  if (!(deltaH > 0) || !Number.isFinite(deltaH))
    throw new RangeError(`deltaH must be a positive number, got ${deltaH}`);
  return deltaH / GAS_CONSTANT_KJ_PER_MOL_K;
}

/** exp(−ΔH/(R·T)), the Arrhenius factor whose time-weighted mean MKT is built from; `k` = ΔH/R in K. */
export function arrheniusFactor(celsius: number, k: number): number {
  return Math.exp(-k / (celsius + KELVIN));
}

/** MKT in °C from the time-weighted mean of the Arrhenius factors. */
export function mktFromMeanFactor(meanFactor: number, k: number): number {
  return k / -Math.log(meanFactor) - KELVIN;
}

export function createMktAccumulator(deltaH: number = DEFAULT_DELTA_H_KJ_PER_MOL): MktAccumulator {
  const k = activationTemperature(deltaH);
  let sum = 0;
  let weights = 0;
  return {
    add(celsius, weight) {
      if (!(weight > 0)) return;
      sum += weight * arrheniusFactor(celsius, k);
      weights += weight;
    },
    value() {
      return weights === 0 ? null : mktFromMeanFactor(sum / weights, k);
    },
  };
}

/**
 * MKT in °C of `samples`, time-weighted when they carry weights (durations). Throws on an empty series or a
 * temperature at or below absolute zero.
 */
export function meanKineticTemperature(samples: readonly MktSample[], deltaH = DEFAULT_DELTA_H_KJ_PER_MOL): number {
  const acc = createMktAccumulator(deltaH);
  for (const s of samples) {
    if (!Number.isFinite(s.celsius) || s.celsius <= -KELVIN) {
      throw new RangeError(`temperature must be a finite value above -273.15 °C, got ${s.celsius}`);
    }
    const w = s.weight ?? 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight must be a finite number >= 0, got ${s.weight}`);
    acc.add(s.celsius, w);
  }
  const mkt = acc.value();
  if (mkt === null) throw new RangeError('mean kinetic temperature needs at least one sample with a positive weight');
  return mkt;
}

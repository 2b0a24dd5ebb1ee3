/**
 * Randomness that depends only on (seed, key, time): every value the simulator draws is a hash of
 * where and when it is needed, not the next number of a shared stream. So the same seed and time
 * range give the same readings whatever the wall clock, the speed, or the order devices are stepped in.
 */

/** 32-bit string hash (FNV-1a). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes 32-bit integers into one well-spread 32-bit integer (murmur3 finaliser after each word). */
export function mix(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    // Fold numbers beyond 32 bits (time slots, epoch seconds) so high bits matter too.
    const lo = w >>> 0;
    const hi = Math.floor(w / 4294967296) >>> 0;
    h = Math.imul(h ^ lo, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h ^ hi, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from the hashed words. */
export const uniform = (...words: number[]): number => mix(...words) / 4294967296;

/** Standard normal from two hashed uniforms (Box-Muller). */
export function normal(...words: number[]): number {
  const u1 = Math.max(uniform(...words, 1), 1e-12);
  const u2 = uniform(...words, 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Exponential with the given mean. */
export const exponential = (mean: number, ...words: number[]): number =>
  -mean * Math.log(1 - uniform(...words) * 0.999999);

/**
 * Smooth value noise in [-1, 1]: hashed values at integer steps of `x`, joined with a smoothstep,
 * so a quantity can wander slowly (day-to-day temperature, cloudiness) without jumps.
 */
export function valueNoise(x: number, ...words: number[]): number {
  const i = Math.floor(x);
  const f = x - i;
  const a = uniform(...words, i) * 2 - 1;
  const b = uniform(...words, i + 1) * 2 - 1;
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/** A seeded stream (mulberry32), for callers that want a sequence rather than keyed draws. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

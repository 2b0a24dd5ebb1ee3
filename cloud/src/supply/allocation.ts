// Splitting a KUB bulk order among its members in proportion to what each can make before the due date,
// by the largest-remainder (Hamilton) method: exact shares, everyone gets the whole part, and the packs
// left over go one each to the largest fractional parts. See docs/supply-chain-calculations.md.

export interface AllocationMember {
  producerId: string;
  /** Whole packs the member can make before the due date (weekly capacity × weeks); fractions are dropped. */
  capacity: number;
  /**
   * What the split is proportional to; defaults to `capacity`. A KUB that wants equal quotas sets 1 for
   * everyone (capacity still caps each quota). Must be > 0.
   */
  weight?: number;
}

export interface AllocationInput {
  /** Packs ordered (a positive whole number). */
  quantity: number;
  /** The smallest quota worth a separate lot (collection, quality check, label); 0 for none. */
  minLotSize: number;
  members: readonly AllocationMember[];
}

export interface Quota {
  producerId: string;
  quota: number;
  /** The exact proportional share before rounding (after caps and drops). */
  share: number;
}

export type DropReason = 'below_min_lot' | 'no_capacity' | 'rounded_to_zero';

export interface Dropped {
  producerId: string;
  /**
   * `no_capacity`: less than one pack of capacity. `below_min_lot`: the share was below `minLotSize`.
   * `rounded_to_zero`: only with `minLotSize` < 1: a share below one pack that got no leftover pack.
   */
  reason: DropReason;
}

/** Why the split came out as it did, in the order it happened (for the quota sheet and for support). */
export type AllocationStep =
  | { kind: 'dropped'; producerId: string; reason: DropReason; share: number }
  | { kind: 'capped'; producerId: string; capacity: number; uncappedShare: number };

export interface AllocationResult {
  /** Members with a quota > 0, in input order. */
  quotas: Quota[];
  dropped: Dropped[];
  /** Packs nobody can make: quantity − Σ quota. */
  shortfall: number;
  steps: AllocationStep[];
}

interface Active {
  producerId: string;
  capacity: number;
  weight: number;
}

// Remainders computed from different numbers can differ in the last bits even when they are equal as
// fractions (1/3 from 10/30 and from 20/60); closer than this they count as a tie.
const EPSILON = 1e-9;

export function allocate(input: AllocationInput): AllocationResult {
  const { quantity, members } = input;
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new RangeError(`quantity must be a positive whole number, got ${quantity}`);
  }
  if (!(input.minLotSize >= 0) || !Number.isFinite(input.minLotSize)) {
    throw new RangeError(`minLotSize must be a number >= 0, got ${input.minLotSize}`);
  }
  // A quota is whole packs, so a minimum of 2.5 packs is in effect 3.
  const minLot = Math.ceil(input.minLotSize);
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.producerId)) throw new RangeError(`producer ${m.producerId} is listed twice`);
    seen.add(m.producerId);
    if (!(m.capacity >= 0) || !Number.isFinite(m.capacity)) {
      throw new RangeError(`capacity of ${m.producerId} must be a finite number >= 0`);
    }
    if (m.weight !== undefined && (!(m.weight > 0) || !Number.isFinite(m.weight))) {
      throw new RangeError(`weight of ${m.producerId} must be a positive number`);
    }
  }

  const steps: AllocationStep[] = [];
  const dropped: Dropped[] = [];
  const drop = (producerId: string, reason: DropReason, share: number) => {
    dropped.push({ producerId, reason });
    steps.push({ kind: 'dropped', producerId, reason, share });
  };

  let active: Active[] = [];
  for (const m of members) {
    const capacity = Math.floor(m.capacity);
    if (capacity < 1) drop(m.producerId, 'no_capacity', 0);
    else active.push({ producerId: m.producerId, capacity, weight: m.weight ?? capacity });
  }

  // Drop members below the minimum lot one at a time, smallest share first, and recompute: removing one
  // member raises everyone else's share, so a member just under the minimum may be above it once the
  // smallest is gone. Dropping all of them at once would turn away producers who could have taken part.
  let shares = waterFill(active, quantity);
  for (;;) {
    const below = active.filter((a) => shares.get(a)!.share < minLot - EPSILON);
    if (below.length === 0) break;
    below.sort((a, b) => shares.get(a)!.share - shares.get(b)!.share || a.capacity - b.capacity || cmp(a, b));
    const smallest = below[0]!;
    drop(smallest.producerId, 'below_min_lot', shares.get(smallest)!.share);
    active = active.filter((a) => a !== smallest);
    shares = waterFill(active, quantity);
  }
  for (const a of active) {
    const s = shares.get(a)!;
    if (s.capped)
      steps.push({ kind: 'capped', producerId: a.producerId, capacity: a.capacity, uncappedShare: s.uncapped });
  }

  const quotaOf = hamilton(active, shares, quantity);
  const quotas: Quota[] = [];
  for (const a of active) {
    const quota = quotaOf.get(a)!;
    if (quota > 0) quotas.push({ producerId: a.producerId, quota, share: shares.get(a)!.share });
    else drop(a.producerId, 'rounded_to_zero', shares.get(a)!.share);
  }
  const allocated = quotas.reduce((sum, q) => sum + q.quota, 0);
  return { quotas, dropped, shortfall: quantity - allocated, steps };
}

interface Share {
  share: number;
  capped: boolean;
  uncapped: number;
}

// Proportional shares of min(quantity, Σ capacity), none above its member's capacity: members whose share
// would exceed their capacity get exactly their capacity, and what is left is shared again among the
// others, until nobody is over. With weight = capacity nobody ever is (share = capacity × quantity / Σ
// capacity ≤ capacity); caps bind only when weights differ from capacities.
function waterFill(active: readonly Active[], quantity: number): Map<Active, Share> {
  const result = new Map<Active, Share>();
  const totalCapacity = active.reduce((sum, a) => sum + a.capacity, 0);
  const target = Math.min(quantity, totalCapacity);
  let open = [...active];
  let left = target;
  for (;;) {
    const weights = open.reduce((sum, a) => sum + a.weight, 0);
    const over = open.filter((a) => (left * a.weight) / weights > a.capacity + EPSILON);
    if (over.length === 0) {
      for (const a of open) result.set(a, { share: (left * a.weight) / weights, capped: false, uncapped: 0 });
      return result;
    }
    for (const a of over) {
      result.set(a, { share: a.capacity, capped: true, uncapped: (left * a.weight) / weights });
      left -= a.capacity;
    }
    open = open.filter((a) => !over.includes(a));
  }
}

// Largest remainder: every member gets the whole part of its share; the packs still missing go one each to
// the largest fractional parts. Ties go to the larger capacity, then to the smaller producerId, so the same
// order always gives the same split whatever order the members were listed in.
function hamilton(active: readonly Active[], shares: Map<Active, Share>, quantity: number): Map<Active, number> {
  const quota = new Map<Active, number>();
  const target = Math.min(
    quantity,
    active.reduce((sum, a) => sum + a.capacity, 0),
  );
  let given = 0;
  for (const a of active) {
    const s = shares.get(a)!.share;
    // A share a hair under a whole number (floating point) is that whole number.
    const whole = Math.min(a.capacity, Math.floor(s + EPSILON));
    quota.set(a, whole);
    given += whole;
  }
  let missing = target - given;
  const byRemainder = active
    .filter((a) => quota.get(a)! < a.capacity)
    .map((a) => ({ a, rem: shares.get(a)!.share - quota.get(a)! }))
    .sort((x, y) => (Math.abs(x.rem - y.rem) > EPSILON ? y.rem - x.rem : y.a.capacity - x.a.capacity || cmp(x.a, y.a)));
  for (const { a } of byRemainder) {
    if (missing <= 0) break;
    quota.set(a, quota.get(a)! + 1);
    missing--;
  }
  return quota;
}

function cmp(a: Active, b: Active): number {
  return a.producerId < b.producerId ? -1 : a.producerId > b.producerId ? 1 : 0;
}

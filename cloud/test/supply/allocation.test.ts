import { describe, expect, it } from 'vitest';
import { type AllocationInput, type AllocationResult, allocate } from '../../src/supply/allocation.ts';

const quotaMap = (r: AllocationResult) => Object.fromEntries(r.quotas.map((q) => [q.producerId, q.quota]));
const members = (caps: Record<string, number>) =>
  Object.entries(caps).map(([producerId, capacity]) => ({ producerId, capacity }));

describe('allocate: worked examples', () => {
  // 10,000 packs of telur asin; six members can make 3000/2500/2000/1500/800/200 by the due date (10,000 in
  // all); no lot under 500 packs. Everyone would have to make exactly their capacity, so Fitri's share is
  // 200 < 500: she is dropped. The other five can make 9,800 between them: they each make their capacity
  // and 200 packs are short.
  it('10,000 packs over 3000/2500/2000/1500/800/200 with min lot 500: the 200 member drops, 200 short', () => {
    const r = allocate({
      quantity: 10_000,
      minLotSize: 500,
      members: members({ ani: 3000, budi: 2500, citra: 2000, dewi: 1500, eko: 800, fitri: 200 }),
    });
    expect(r.dropped).toEqual([{ producerId: 'fitri', reason: 'below_min_lot' }]);
    expect(quotaMap(r)).toEqual({ ani: 3000, budi: 2500, citra: 2000, dewi: 1500, eko: 800 });
    expect(r.shortfall).toBe(200);
    expect(r.steps).toEqual([{ kind: 'dropped', producerId: 'fitri', reason: 'below_min_lot', share: 200 }]);
  });

  // The same members, an order of 8,000. Shares: 8000 × cap / 10,000 = 2400, 2000, 1600, 1200, 640, 160.
  // Fitri's 160 < 500: dropped. Recomputed over 9,800 of capacity, 8000 × cap / 9800:
  //   ani 2448.980, budi 2040.816, citra 1632.653, dewi 1224.490, eko 653.061   (all ≥ 500)
  // Whole parts 2448 + 2040 + 1632 + 1224 + 653 = 7997; the 3 packs left go to the largest fractional
  // parts .980 (ani), .816 (budi), .653 (citra).
  it('8,000 packs over the same members: Fitri drops, the rest split by largest remainder', () => {
    const r = allocate({
      quantity: 8000,
      minLotSize: 500,
      members: members({ ani: 3000, budi: 2500, citra: 2000, dewi: 1500, eko: 800, fitri: 200 }),
    });
    expect(r.dropped).toEqual([{ producerId: 'fitri', reason: 'below_min_lot' }]);
    expect(quotaMap(r)).toEqual({ ani: 2449, budi: 2041, citra: 1633, dewi: 1224, eko: 653 });
    expect(r.shortfall).toBe(0);
    expect(r.quotas.find((q) => q.producerId === 'ani')!.share).toBeCloseTo(2448.9796, 4);
    expect(r.steps[0]).toEqual({ kind: 'dropped', producerId: 'fitri', reason: 'below_min_lot', share: 160 });
  });

  // 600 packs, capacities 800/230/170, min lot 120. Shares 400, 115, 85: two members are below 120.
  // Dropping only the smallest (85) first: over 1,030 of capacity Budi's share is 600 × 230 / 1030 =
  // 133.98 ≥ 120, so he stays. Dropping both at once would have left Ani alone with all 600.
  it('drops members below the minimum one at a time, smallest first, so a member who makes it stays', () => {
    const r = allocate({ quantity: 600, minLotSize: 120, members: members({ ani: 800, budi: 230, citra: 170 }) });
    expect(r.dropped).toEqual([{ producerId: 'citra', reason: 'below_min_lot' }]);
    // 466.02 and 133.98: whole parts 466 + 133 = 599, the last pack to budi (.98 > .02).
    expect(quotaMap(r)).toEqual({ ani: 466, budi: 134 });
  });

  it('keeps dropping while members are still below the minimum', () => {
    // Shares 600 × cap / 1000: 480, 60, 36, 24. Min lot 100: drop 24, then 36 (600 × 36/976 = 22.1),
    // then 60 (600 × 60/940 = 38.3): Ani makes all 600.
    const r = allocate({ quantity: 600, minLotSize: 100, members: members({ ani: 800, b: 100, c: 60, d: 40 }) });
    expect(r.dropped.map((d) => d.producerId)).toEqual(['d', 'c', 'b']);
    expect(quotaMap(r)).toEqual({ ani: 600 });
    expect(r.shortfall).toBe(0);
  });

  // Tannenbaum, Excursions in Modern Mathematics, ch. 4 (apportionment): the Republic of Parador, 250
  // seats, six states with populations 1,646,000 / 6,936,000 / 154,000 / 2,091,000 / 685,000 / 988,000
  // (12,500,000; standard divisor 50,000). Standard quotas 32.92, 138.72, 3.08, 41.82, 13.70, 19.76;
  // Hamilton: floors sum to 246, the 4 extra seats go to A (.92), D (.82), F (.76), B (.72).
  it('reproduces Hamilton’s apportionment of Parador (Tannenbaum, Excursions in Modern Mathematics, ch. 4)', () => {
    const r = allocate({
      quantity: 250,
      minLotSize: 0,
      members: members({ A: 1_646_000, B: 6_936_000, C: 154_000, D: 2_091_000, E: 685_000, F: 988_000 }),
    });
    expect(quotaMap(r)).toEqual({ A: 33, B: 139, C: 3, D: 42, E: 13, F: 20 });
    expect(r.quotas.map((q) => q.share)).toEqual(
      [32.92, 138.72, 3.08, 41.82, 13.7, 19.76].map((x) => expect.closeTo(x, 9)),
    );
  });

  // Tannenbaum, ch. 4, the Alabama paradox: populations 940 / 9030 / 10,030. With 200 seats the quotas are
  // 9.4, 90.3, 100.3 → A gets the one extra seat: 10, 90, 100. With 201 seats they are 9.447, 90.7515,
  // 100.8015 → the two extra seats go to C and B: 9, 91, 101. A loses a seat when the house grows.
  it('shows the Alabama paradox (Tannenbaum, ch. 4): 200 → 201 seats costs state A a seat', () => {
    const states = members({ A: 940, B: 9030, C: 10_030 });
    expect(quotaMap(allocate({ quantity: 200, minLotSize: 0, members: states }))).toEqual({ A: 10, B: 90, C: 100 });
    expect(quotaMap(allocate({ quantity: 201, minLotSize: 0, members: states }))).toEqual({ A: 9, B: 91, C: 101 });
  });
});

describe('allocate: caps, shortfall, ties', () => {
  // Equal split (weight 1 each) of 900 packs among three members, one of whom can only make 100: her
  // share of 300 is capped at 100 and the 200 she cannot make are shared by the other two: 400 each.
  it('caps a member at her capacity and shares the surplus among the others', () => {
    const r = allocate({
      quantity: 900,
      minLotSize: 0,
      members: [
        { producerId: 'a', capacity: 1000, weight: 1 },
        { producerId: 'b', capacity: 100, weight: 1 },
        { producerId: 'c', capacity: 1000, weight: 1 },
      ],
    });
    expect(quotaMap(r)).toEqual({ a: 400, b: 100, c: 400 });
    expect(r.steps).toEqual([{ kind: 'capped', producerId: 'b', capacity: 100, uncappedShare: 300 }]);
  });

  it('caps again when the redistributed surplus pushes another member over', () => {
    // 1000 equally over caps 100/250/1000: 333.3 each → a capped at 100; 450 each for b, c → b capped at
    // 250; c takes the remaining 650.
    const r = allocate({
      quantity: 1000,
      minLotSize: 0,
      members: [
        { producerId: 'a', capacity: 100, weight: 1 },
        { producerId: 'b', capacity: 250, weight: 1 },
        { producerId: 'c', capacity: 1000, weight: 1 },
      ],
    });
    expect(quotaMap(r)).toEqual({ a: 100, b: 250, c: 650 });
    expect(r.steps.filter((s) => s.kind === 'capped').map((s) => s.producerId)).toEqual(['a', 'b']);
  });

  it('with capacity as the weight nobody is ever capped', () => {
    const r = allocate({ quantity: 999, minLotSize: 0, members: members({ a: 1000, b: 1, c: 3 }) });
    expect(r.steps.filter((s) => s.kind === 'capped')).toEqual([]);
    expect(quotaMap(r)).toEqual({ a: 995, b: 1, c: 3 });
  });

  it('gives everyone their capacity and reports the shortfall when capacity is short', () => {
    const r = allocate({ quantity: 5000, minLotSize: 0, members: members({ a: 1200, b: 800.7, c: 0.5 }) });
    expect(quotaMap(r)).toEqual({ a: 1200, b: 800 });
    expect(r.dropped).toEqual([{ producerId: 'c', reason: 'no_capacity' }]);
    expect(r.shortfall).toBe(3000);
  });

  it('reports the whole order short when nobody can make anything', () => {
    expect(allocate({ quantity: 10, minLotSize: 0, members: [] })).toEqual({
      quotas: [],
      dropped: [],
      shortfall: 10,
      steps: [],
    });
    const r = allocate({ quantity: 10, minLotSize: 5, members: members({ a: 0, b: 3 }) });
    expect(r.dropped).toEqual([
      { producerId: 'a', reason: 'no_capacity' },
      { producerId: 'b', reason: 'below_min_lot' },
    ]);
    expect(r.shortfall).toBe(10);
  });

  it('breaks equal remainders by larger capacity, then by producerId', () => {
    // 10 packs over capacities 6/6/3 (weights 2/2/1 in effect): shares 4, 4, 2 exactly → no remainders.
    expect(quotaMap(allocate({ quantity: 10, minLotSize: 0, members: members({ a: 6, b: 6, c: 3 }) }))).toEqual({
      a: 4,
      b: 4,
      c: 2,
    });
    // 2 packs over 3 equal members: shares 2/3 each, all remainders equal: the first two by producerId.
    const r = allocate({ quantity: 2, minLotSize: 0, members: members({ z: 5, m: 5, a: 5 }) });
    expect(quotaMap(r)).toEqual({ a: 1, m: 1 });
    expect(r.dropped).toEqual([{ producerId: 'z', reason: 'rounded_to_zero' }]);
    // 1 pack over capacities 4 and 2 with equal weights: remainders .5 and .5 → the larger capacity.
    const t = allocate({
      quantity: 1,
      minLotSize: 0,
      members: [
        { producerId: 'a', capacity: 2, weight: 1 },
        { producerId: 'b', capacity: 4, weight: 1 },
      ],
    });
    expect(quotaMap(t)).toEqual({ b: 1 });
  });

  it('rounds a fractional minimum lot up to whole packs', () => {
    // Shares 100 × cap / 100 = 50, 30, 20; min 20.5 counts as 21, so the 20 member drops.
    const r = allocate({ quantity: 100, minLotSize: 20.5, members: members({ a: 50, b: 30, c: 20 }) });
    expect(r.dropped).toEqual([{ producerId: 'c', reason: 'below_min_lot' }]);
    expect(r.shortfall).toBe(20);
  });

  it('rejects bad input', () => {
    expect(() => allocate({ quantity: 0, minLotSize: 0, members: [] })).toThrow(/quantity/);
    expect(() => allocate({ quantity: 1.5, minLotSize: 0, members: [] })).toThrow(/quantity/);
    expect(() => allocate({ quantity: 10, minLotSize: -1, members: [] })).toThrow(/minLotSize/);
    expect(() => allocate({ quantity: 10, minLotSize: 0, members: members({ a: Number.NaN }) })).toThrow(/capacity/);
    expect(() => allocate({ quantity: 10, minLotSize: 0, members: members({ a: Number.POSITIVE_INFINITY }) })).toThrow(
      /capacity/,
    );
    expect(() =>
      allocate({ quantity: 10, minLotSize: 0, members: [...members({ a: 5 }), ...members({ a: 6 })] }),
    ).toThrow(/twice/);
    expect(() =>
      allocate({ quantity: 10, minLotSize: 0, members: [{ producerId: 'a', capacity: 5, weight: 0 }] }),
    ).toThrow(/weight/);
  });
});

describe('allocate: invariants over random orders', () => {
  // A small deterministic generator so a failure can be replayed.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };

  const cases: AllocationInput[] = [];
  const random = rng(20_260_511);
  for (let i = 0; i < 400; i++) {
    const n = Math.floor(random() * 12);
    const equal = random() < 0.25;
    cases.push({
      quantity: 1 + Math.floor(random() * 20_000),
      minLotSize: random() < 0.3 ? 0 : Math.floor(random() * 800),
      members: Array.from({ length: n }, (_, k) => ({
        producerId: `p${String(k).padStart(2, '0')}`,
        capacity: random() < 0.1 ? random() * 2 : Math.floor(random() * 4000) + random(),
        ...(equal ? { weight: 1 } : {}),
      })),
    });
  }

  it('every member appears once; Σ quota = min(quantity, usable capacity); quotas within capacity and ≥ the minimum lot', () => {
    for (const input of cases) {
      const r = allocate(input);
      const ids = [...r.quotas.map((q) => q.producerId), ...r.dropped.map((d) => d.producerId)].sort();
      expect(ids).toEqual(input.members.map((m) => m.producerId).sort());
      const cap = new Map(input.members.map((m) => [m.producerId, Math.floor(m.capacity)]));
      const usable = r.quotas.reduce((s, q) => s + cap.get(q.producerId)!, 0);
      const sum = r.quotas.reduce((s, q) => s + q.quota, 0);
      expect(sum).toBe(Math.min(input.quantity, usable));
      expect(r.shortfall).toBe(input.quantity - sum);
      for (const q of r.quotas) {
        expect(Number.isInteger(q.quota)).toBe(true);
        expect(q.quota).toBeGreaterThan(0);
        expect(q.quota).toBeLessThanOrEqual(cap.get(q.producerId)!);
        expect(q.quota).toBeGreaterThanOrEqual(Math.max(1, input.minLotSize));
        // Largest remainder never moves a quota more than one pack away from its exact share.
        expect(Math.abs(q.quota - q.share)).toBeLessThan(1 + 1e-9);
      }
    }
  });

  it('a dropped member could not have made the minimum lot, or had no capacity', () => {
    for (const input of cases) {
      const r = allocate(input);
      for (const d of r.dropped) {
        const m = input.members.find((x) => x.producerId === d.producerId)!;
        if (d.reason === 'no_capacity') expect(Math.floor(m.capacity)).toBeLessThan(1);
        if (d.reason === 'below_min_lot') {
          const step = r.steps.find((s) => s.kind === 'dropped' && s.producerId === d.producerId);
          expect(step && step.kind === 'dropped' && step.share < Math.ceil(input.minLotSize)).toBe(true);
        }
      }
    }
  });

  it('gives the same split whatever order the members are listed in', () => {
    for (const input of cases.slice(0, 150)) {
      const reversed = allocate({ ...input, members: [...input.members].reverse() });
      const byId = (r: AllocationResult) => ({
        quotas: Object.fromEntries(r.quotas.map((q) => [q.producerId, q.quota])),
        dropped: Object.fromEntries(r.dropped.map((d) => [d.producerId, d.reason])),
        shortfall: r.shortfall,
      });
      expect(byId(reversed)).toEqual(byId(allocate(input)));
    }
  });
});

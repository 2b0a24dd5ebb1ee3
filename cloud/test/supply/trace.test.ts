import { describe, expect, it } from 'vitest';
import { type LotEdge, TraceIndex, traceGraph } from '../../src/supply/trace.ts';

// Duck eggs from two farmers are salted into one batch of telur asin; that batch and a batch of sambal go
// into gift packs; one gift-pack lot also used a second telur asin batch.
const SUPPLY: LotEdge[] = [
  { lotId: 'telur-asin-1', inputLotId: 'telur-bu-siti' },
  { lotId: 'telur-asin-1', inputLotId: 'telur-pak-joko' },
  { lotId: 'telur-asin-1', inputLotId: 'garam-1' },
  { lotId: 'telur-asin-2', inputLotId: 'telur-pak-joko' },
  { lotId: 'parsel-1', inputLotId: 'telur-asin-1' },
  { lotId: 'parsel-1', inputLotId: 'sambal-1' },
  { lotId: 'parsel-2', inputLotId: 'telur-asin-1' },
  { lotId: 'parsel-2', inputLotId: 'telur-asin-2' },
];

const ids = (r: { lots: { lotId: string; depth: number }[] }) => r.lots.map((l) => `${l.lotId}:${l.depth}`);

describe('traceGraph', () => {
  it('walks backward from a gift pack to every input, by depth', () => {
    const r = traceGraph(SUPPLY, 'parsel-1', 'backward');
    expect(ids(r)).toEqual([
      'parsel-1:0',
      'sambal-1:1',
      'telur-asin-1:1',
      'garam-1:2',
      'telur-bu-siti:2',
      'telur-pak-joko:2',
    ]);
    // Edges as material flowed: input → product.
    expect(r.edges).toContainEqual({ from: 'telur-asin-1', to: 'parsel-1' });
    expect(r.edges).toContainEqual({ from: 'telur-bu-siti', to: 'telur-asin-1' });
    expect(r.edges).toHaveLength(5);
    expect(r.cycles).toEqual([]);
  });

  it('walks forward from a farmer’s eggs to every product made from them (a recall)', () => {
    const r = traceGraph(SUPPLY, 'telur-pak-joko', 'forward');
    expect(ids(r)).toEqual(['telur-pak-joko:0', 'telur-asin-1:1', 'telur-asin-2:1', 'parsel-1:2', 'parsel-2:2']);
    expect(r.edges).toEqual([
      { from: 'telur-pak-joko', to: 'telur-asin-1' },
      { from: 'telur-pak-joko', to: 'telur-asin-2' },
      { from: 'telur-asin-1', to: 'parsel-1' },
      { from: 'telur-asin-1', to: 'parsel-2' },
      { from: 'telur-asin-2', to: 'parsel-2' },
    ]);
  });

  it('reaches each lot of a diamond once, at its shortest depth, and keeps both edges into it', () => {
    // a → b → d, a → c → d, and a → d directly: d is at depth 1.
    const edges: LotEdge[] = [
      { lotId: 'b', inputLotId: 'a' },
      { lotId: 'c', inputLotId: 'a' },
      { lotId: 'd', inputLotId: 'b' },
      { lotId: 'd', inputLotId: 'c' },
      { lotId: 'd', inputLotId: 'a' },
    ];
    const r = traceGraph(edges, 'a', 'forward');
    expect(ids(r)).toEqual(['a:0', 'b:1', 'c:1', 'd:1']);
    expect(r.edges).toHaveLength(5);
    expect(r.cycles).toEqual([]);
    expect(ids(traceGraph(edges, 'd', 'backward'))).toEqual(['d:0', 'a:1', 'b:1', 'c:1']);
  });

  it('stops at maxDepth', () => {
    expect(ids(traceGraph(SUPPLY, 'parsel-2', 'backward', 1))).toEqual([
      'parsel-2:0',
      'telur-asin-1:1',
      'telur-asin-2:1',
    ]);
    expect(traceGraph(SUPPLY, 'parsel-2', 'backward', 1).edges).toHaveLength(2);
    expect(ids(traceGraph(SUPPLY, 'parsel-2', 'backward', 0))).toEqual(['parsel-2:0']);
  });

  it('a lot nobody knows is just itself', () => {
    expect(traceGraph(SUPPLY, 'unknown', 'forward')).toEqual({
      lots: [{ lotId: 'unknown', depth: 0 }],
      edges: [],
      cycles: [],
    });
  });

  it('terminates on a cycle and reports the edge that closes it', () => {
    // a → b → c → a (impossible for real material: a data-entry error).
    const edges: LotEdge[] = [
      { lotId: 'b', inputLotId: 'a' },
      { lotId: 'c', inputLotId: 'b' },
      { lotId: 'a', inputLotId: 'c' },
      { lotId: 'x', inputLotId: 'c' },
    ];
    const forward = traceGraph(edges, 'a', 'forward');
    expect(ids(forward)).toEqual(['a:0', 'b:1', 'c:2', 'x:3']);
    expect(forward.cycles).toEqual([{ from: 'c', to: 'a' }]);
    const backward = traceGraph(edges, 'x', 'backward');
    expect(ids(backward)).toEqual(['x:0', 'c:1', 'b:2', 'a:3']);
    // Walking backward from x (x ← c ← b ← a ← c), the edge closing the loop is c → a: a made from c.
    expect(backward.cycles).toEqual([{ from: 'c', to: 'a' }]);
  });

  it('reports a lot listed as its own input', () => {
    const r = traceGraph([{ lotId: 'a', inputLotId: 'a' }], 'a', 'backward');
    expect(ids(r)).toEqual(['a:0']);
    expect(r.cycles).toEqual([{ from: 'a', to: 'a' }]);
  });

  it('does not call a diamond a cycle, and ignores duplicate edges', () => {
    const edges: LotEdge[] = [
      { lotId: 'b', inputLotId: 'a' },
      { lotId: 'b', inputLotId: 'a' },
      { lotId: 'c', inputLotId: 'a' },
      { lotId: 'd', inputLotId: 'b' },
      { lotId: 'd', inputLotId: 'c' },
    ];
    const r = traceGraph(edges, 'a', 'forward');
    expect(r.cycles).toEqual([]);
    expect(r.edges).toHaveLength(4);
  });

  it('gives the same walk whatever order the edges came in', () => {
    const a = traceGraph(SUPPLY, 'telur-pak-joko', 'forward');
    const b = traceGraph([...SUPPLY].reverse(), 'telur-pak-joko', 'forward');
    expect(b).toEqual(a);
  });
});

describe('TraceIndex on a large graph', () => {
  // 60 farms → 300 salting batches (each from 3 farms) → 900 gift packs (each from 2 batches), plus a
  // chain of 5,000 repacks: deep enough that a recursive walk would risk the call stack.
  const edges: LotEdge[] = [];
  for (let b = 0; b < 300; b++) {
    for (let k = 0; k < 3; k++) edges.push({ lotId: `batch-${b}`, inputLotId: `farm-${(b * 7 + k * 13) % 60}` });
  }
  for (let p = 0; p < 900; p++) {
    edges.push({ lotId: `pack-${p}`, inputLotId: `batch-${p % 300}` });
    edges.push({ lotId: `pack-${p}`, inputLotId: `batch-${(p * 11 + 1) % 300}` });
  }
  for (let i = 1; i <= 5000; i++) edges.push({ lotId: `repack-${i}`, inputLotId: `repack-${i - 1}` });
  const index = new TraceIndex(edges);

  it('walks forward from one farm and backward from one pack', () => {
    const down = index.forward('farm-0');
    const batches = down.lots.filter((l) => l.lotId.startsWith('batch-'));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((l) => l.depth === 1)).toBe(true);
    expect(down.lots.filter((l) => l.lotId.startsWith('pack-')).every((l) => l.depth === 2)).toBe(true);
    const up = index.backward('pack-5');
    expect(up.lots.filter((l) => l.depth === 1).map((l) => l.lotId)).toEqual(['batch-5', 'batch-56']);
    expect(up.lots.filter((l) => l.depth === 2)).toHaveLength(6);
  });

  it('walks a 5,000-lot chain without recursion', () => {
    const r = index.backward('repack-5000');
    expect(r.lots).toHaveLength(5001);
    expect(r.lots.at(-1)).toEqual({ lotId: 'repack-0', depth: 5000 });
    expect(r.cycles).toEqual([]);
  });
});

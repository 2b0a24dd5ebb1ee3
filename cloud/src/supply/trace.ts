// Traceability over lot transformations: eggs → telur asin → gift pack. A recall walks forward (every lot
// made from a bad input); a complaint walks backward (every input of a bad product). One step back, one
// step forward is the legal minimum (EU Regulation 178/2002 Art. 18); walking the whole graph costs nothing.

export interface LotEdge {
  /** The lot that was made… */
  lotId: string;
  /** …from this input lot. */
  inputLotId: string;
}

export type TraceDirection = 'backward' | 'forward';

/** An edge in the direction material flowed: `from` is the input, `to` the lot made from it. */
export interface FlowEdge {
  from: string;
  to: string;
}

export interface TraceResult {
  /** The start lot (depth 0) and every lot reached, by depth (fewest steps from the start), then lotId. */
  lots: { lotId: string; depth: number }[];
  /** The edges walked, as material flowed (input → product), whatever the direction of the walk. */
  edges: FlowEdge[];
  /**
   * Edges that close a cycle (a lot that is, through other lots, its own input): impossible for real
   * material, so a data error to show an operator. Empty for a sound graph.
   */
  cycles: FlowEdge[];
}

/** The lot graph indexed once both ways, for many walks. */
export class TraceIndex {
  readonly #inputs = new Map<string, string[]>();
  readonly #outputs = new Map<string, string[]>();

  constructor(edges: Iterable<LotEdge>) {
    const seen = new Set<string>();
    for (const e of edges) {
      const key = `${e.inputLotId}\u0000${e.lotId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      push(this.#inputs, e.lotId, e.inputLotId);
      push(this.#outputs, e.inputLotId, e.lotId);
    }
    // Sorted neighbours make every walk's output independent of the order the edges came in.
    for (const list of this.#inputs.values()) list.sort(compare);
    for (const list of this.#outputs.values()) list.sort(compare);
  }

  /** Every ancestor: the inputs, their inputs, … up to `maxDepth` steps. */
  backward(lotId: string, maxDepth = Number.POSITIVE_INFINITY): TraceResult {
    return this.walk(lotId, 'backward', maxDepth);
  }

  /** Every descendant: the lots made from this one, the lots made from those, … */
  forward(lotId: string, maxDepth = Number.POSITIVE_INFINITY): TraceResult {
    return this.walk(lotId, 'forward', maxDepth);
  }

  walk(start: string, direction: TraceDirection, maxDepth = Number.POSITIVE_INFINITY): TraceResult {
    if (!(maxDepth >= 0)) throw new RangeError(`maxDepth must be >= 0, got ${maxDepth}`);
    const next = direction === 'backward' ? this.#inputs : this.#outputs;
    const flow = (from: string, to: string): FlowEdge =>
      direction === 'backward' ? { from: to, to: from } : { from, to };

    // Breadth first, so each lot gets its shortest distance; a visited set keeps cycles from looping.
    const depth = new Map<string, number>([[start, 0]]);
    const queue = [start];
    const edges: FlowEdge[] = [];
    for (let head = 0; head < queue.length; head++) {
      const lot = queue[head]!;
      const d = depth.get(lot)!;
      if (d >= maxDepth) continue;
      for (const n of next.get(lot) ?? []) {
        edges.push(flow(lot, n));
        if (!depth.has(n)) {
          depth.set(n, d + 1);
          queue.push(n);
        }
      }
    }

    const lots = queue.map((lotId) => ({ lotId, depth: depth.get(lotId)! }));
    lots.sort((a, b) => a.depth - b.depth || compare(a.lotId, b.lotId));
    return { lots, edges, cycles: this.#backEdges(start, next, depth, maxDepth, flow) };
  }

  // A cycle shows as a back edge of a depth-first search: an edge to a lot still on the current path.
  // Iterative, so a long chain cannot overflow the call stack.
  #backEdges(
    start: string,
    next: Map<string, string[]>,
    reached: Map<string, number>,
    maxDepth: number,
    flow: (from: string, to: string) => FlowEdge,
  ): FlowEdge[] {
    const onPath = new Set<string>([start]);
    const done = new Set<string>();
    const stack: { lot: string; i: number }[] = [{ lot: start, i: 0 }];
    const cycles: FlowEdge[] = [];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      // Only the edges the walk took: none out of the lots at the depth limit.
      const neighbours = reached.get(top.lot)! < maxDepth ? (next.get(top.lot) ?? []) : [];
      const n = neighbours[top.i++];
      if (n === undefined) {
        stack.pop();
        onPath.delete(top.lot);
        done.add(top.lot);
        continue;
      }
      if (!reached.has(n)) continue;
      if (onPath.has(n)) cycles.push(flow(top.lot, n));
      else if (!done.has(n)) {
        onPath.add(n);
        stack.push({ lot: n, i: 0 });
      }
    }
    return cycles;
  }
}

/** One walk without keeping the index (build a `TraceIndex` for many). */
export function traceGraph(
  edges: Iterable<LotEdge>,
  startLotId: string,
  direction: TraceDirection,
  maxDepth?: number,
): TraceResult {
  return new TraceIndex(edges).walk(startLotId, direction, maxDepth);
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

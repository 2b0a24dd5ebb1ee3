/**
 * The (village, device, metric, ts) of recently stored readings — the store's own identity of a sample, so a hit
 * is exactly a duplicate — bounded: the oldest reading is forgotten first.
 *
 * Series are interned to small integers and each series keeps a Set of numeric timestamps: a string key per
 * reading cost more than decoding the batch. Insertion order lives in a ring (typed arrays), because taking the
 * oldest entry from a Set's own iterator costs O(deleted entries) in V8 and made eviction quadratic.
 */
export class RecentWindow {
  readonly #series = new Map<string, number>();
  readonly #sets: Set<number>[] = [];
  readonly #ringSid: Int32Array;
  readonly #ringTs: Float64Array;
  #next = 0;
  #size = 0;

  constructor(private readonly capacity: number) {
    const n = Math.max(0, capacity);
    this.#ringSid = new Int32Array(n).fill(-1);
    this.#ringTs = new Float64Array(n);
  }

  /** A small integer for a series, stable for the life of the window. */
  seriesId(villageId: string, deviceId: string, metric: string): number {
    const k = `${villageId}\0${deviceId}\0${metric}`;
    let id = this.#series.get(k);
    if (id === undefined) {
      id = this.#sets.length;
      this.#series.set(k, id);
      this.#sets.push(new Set());
    }
    return id;
  }

  has(sid: number, ts: number): boolean {
    return this.#sets[sid]?.has(ts) ?? false;
  }

  add(sid: number, ts: number): void {
    if (this.capacity <= 0) return;
    const set = this.#sets[sid];
    if (!set || set.has(ts)) return;
    const i = this.#next;
    const old = this.#ringSid[i]!;
    if (old >= 0) this.#sets[old]!.delete(this.#ringTs[i]!);
    else this.#size++;
    this.#ringSid[i] = sid;
    this.#ringTs[i] = ts;
    this.#next = (i + 1) % this.capacity;
    set.add(ts);
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    for (const s of this.#sets) s.clear();
    this.#ringSid.fill(-1);
    this.#next = 0;
    this.#size = 0;
  }
}

import type { UplinkBatch, UplinkReading } from '@lumbung/schemas';
import type Database from 'better-sqlite3';

/** One accepted device message as it is queued. `ts` is the device timestamp, or the receive time if it had none. */
export interface QueuedMessage {
  deviceId: string;
  seq: number;
  ts: number;
  tsSource: 'device' | 'edge';
  rx: number;
  readings: number;
  body: string;
}

/** A batch: the id range [fromId, toId] of queue rows, persisted before it is sent. */
export interface BatchRecord {
  id: number;
  fromId: number;
  toId: number;
  rows: number;
  readings: number;
  bytes: number;
  createdAt: number;
}

/**
 * Per-row byte estimate for the disk budget: body and device text plus the integer columns and SQLite's
 * row and b-tree overhead. Calibrated against the file size of a 1M-row queue (see docs/edge.md).
 */
const ROW_OVERHEAD_BYTES = 40;

function expand(out: UplinkReading[], deviceId: string, seq: number, ts: number, src: number, body: string): void {
  const values = JSON.parse(body) as Record<string, number>;
  const tsSource = src === 0 ? 'device' : 'edge';
  for (const metric in values) out.push({ deviceId, metric, ts, tsSource, value: values[metric] as number, seq });
}

interface Range {
  from: number;
  to: number;
}

/**
 * The durable reading queue. Rows are only ever inserted and deleted: a batch is an id range, so assigning
 * a batch is one INSERT into `batches`, not an UPDATE per row, and a resend re-reads exactly the same rows.
 *
 * Unassigned rows are kept as closed "backlog" ranges (oldest first) plus one open "live" range
 * [liveFrom, ∞). When the uplink returns with a large live range, `split()` closes it into the backlog, so
 * the uplink can alternate oldest-first backlog batches with batches of the newest readings.
 * Rows inside an assigned batch are never dropped by the disk budget, so a batch's content never changes.
 */
export class ReadingQueue {
  rows = 0;
  readings = 0;
  bytes = 0;
  #backlog: Range[] = [];
  #liveFrom = 1;
  #liveReadings = 0;
  #maxId = 0;
  readonly #open = new Map<number, BatchRecord>();
  /** readings of the batch assigned last, built during assignment, handed out once by read() */
  #fresh: { id: number; readings: UplinkReading[] } | undefined;
  readonly #st;

  constructor(
    private readonly db: Database.Database,
    readonly epoch: string,
    private readonly batchMaxReadings: number,
  ) {
    this.#st = {
      insert: db.prepare(
        'INSERT INTO queue (device, seq, ts, src, rx, n, body, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      stats: db.prepare(
        'SELECT COUNT(*) AS rows, COALESCE(SUM(n), 0) AS readings, COALESCE(SUM(bytes), 0) AS bytes, COALESCE(MAX(id), 0) AS maxId, MIN(id) AS minId FROM queue',
      ),
      seqMax: db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'queue'`).pluck(),
      rangeStats: db.prepare(
        'SELECT COUNT(*) AS rows, COALESCE(SUM(n), 0) AS readings FROM queue WHERE id BETWEEN ? AND ?',
      ),
      scan: db.prepare('SELECT id, n, rx, bytes FROM queue WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?'),
      scanFull: db
        .prepare(
          'SELECT id, n, bytes, device, seq, ts, src, body FROM queue WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?',
        )
        .raw(),
      read: db.prepare('SELECT device, seq, ts, src, body FROM queue WHERE id BETWEEN ? AND ? ORDER BY id').raw(),
      deleteRange: db.prepare('DELETE FROM queue WHERE id BETWEEN ? AND ?'),
      insertBatch: db.prepare(
        'INSERT INTO batches (from_id, to_id, rows, readings, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      batches: db.prepare(
        'SELECT id, from_id AS fromId, to_id AS toId, rows, readings, bytes, created_at AS createdAt FROM batches ORDER BY id',
      ),
      deleteBatch: db.prepare('DELETE FROM batches WHERE id = ?'),
      recent: db.prepare('SELECT device, seq, ts, src, rx, body FROM queue WHERE rx >= ? ORDER BY id DESC LIMIT ?'),
    };
  }

  /** Rebuilds the in-memory view from the file: open batches, and every unassigned row becomes backlog. */
  load(): void {
    const s = this.#st.stats.get() as {
      rows: number;
      readings: number;
      bytes: number;
      maxId: number;
      minId: number | null;
    };
    this.rows = s.rows;
    this.readings = s.readings;
    this.bytes = s.bytes;
    this.#maxId = Math.max(s.maxId, Number(this.#st.seqMax.get() ?? 0));
    this.#open.clear();
    this.#backlog = [];
    const batches = this.#st.batches.all() as BatchRecord[];
    for (const b of batches) this.#open.set(b.id, b);
    if (s.minId !== null) {
      const sorted = [...batches].sort((a, b) => a.fromId - b.fromId);
      let cursor = s.minId;
      const gap = (from: number, to: number) => {
        if (from > to) return;
        const g = this.#st.rangeStats.get(from, to) as { rows: number };
        if (g.rows > 0) this.#backlog.push({ from, to });
      };
      for (const b of sorted) {
        gap(cursor, b.fromId - 1);
        cursor = Math.max(cursor, b.toId + 1);
      }
      gap(cursor, s.maxId);
    }
    this.#liveFrom = this.#maxId + 1;
    this.#liveReadings = 0;
  }

  /** Appends one message; call inside the group-commit transaction. */
  append(m: QueuedMessage): void {
    const bytes = m.body.length + m.deviceId.length + ROW_OVERHEAD_BYTES;
    const info = this.#st.insert.run(
      m.deviceId,
      m.seq,
      m.ts,
      m.tsSource === 'device' ? 0 : 1,
      m.rx,
      m.readings,
      m.body,
      bytes,
    );
    this.#maxId = Number(info.lastInsertRowid);
    this.rows++;
    this.readings += m.readings;
    this.bytes += bytes;
    this.#liveReadings += m.readings;
  }

  /** Readings not yet assigned to a batch. */
  get unassignedReadings(): number {
    return this.readings - this.assignedReadings;
  }

  get assignedReadings(): number {
    let n = 0;
    for (const b of this.#open.values()) n += b.readings;
    return n;
  }

  get liveReadings(): number {
    return this.#liveReadings;
  }

  get hasBacklog(): boolean {
    return this.#backlog.length > 0;
  }

  /** Closes the live range into the backlog, so that new readings form a fresh live range. */
  split(): void {
    if (this.#liveReadings === 0) return;
    this.#backlog.push({ from: this.#liveFrom, to: this.#maxId });
    this.#liveFrom = this.#maxId + 1;
    this.#liveReadings = 0;
  }

  /** Open (persisted, unacknowledged) batches, oldest first. */
  openBatches(): BatchRecord[] {
    return [...this.#open.values()].sort((a, b) => a.id - b.id);
  }

  getBatch(id: number): BatchRecord | undefined {
    return this.#open.get(id);
  }

  /** Assigns the next batch from the oldest backlog range or from the live range, and persists it. */
  take(kind: 'backlog' | 'live', now: number): BatchRecord | undefined {
    if (kind === 'backlog') {
      while (this.#backlog.length > 0) {
        const r = this.#backlog[0] as Range;
        const rec = this.#assign(r.from, r.to, now);
        if (!rec) {
          this.#backlog.shift();
          continue;
        }
        r.from = rec.toId + 1;
        if (r.from > r.to) this.#backlog.shift();
        return rec;
      }
      return undefined;
    }
    if (this.#liveReadings === 0) return undefined;
    const rec = this.#assign(this.#liveFrom, Number.MAX_SAFE_INTEGER, now);
    if (!rec) {
      this.#liveReadings = 0;
      return undefined;
    }
    this.#liveFrom = rec.toId + 1;
    this.#liveReadings -= rec.readings;
    return rec;
  }

  #assign(from: number, to: number, now: number): BatchRecord | undefined {
    let readings = 0;
    let bytes = 0;
    let count = 0;
    let first = -1;
    let last = from;
    const out: UplinkReading[] = [];
    // One pass: cut the batch and build its readings (the uplink sends it right away). iterate() stops reading as
    // soon as the batch is full (a row holds 1-66 readings).
    for (const r of this.#st.scanFull.iterate(from, to, this.batchMaxReadings) as Iterable<
      [number, number, number, string, number, number, number, string]
    >) {
      const [id, n, b, deviceId, seq, ts, src, body] = r;
      if (count > 0 && readings + n > this.batchMaxReadings) break;
      if (first < 0) first = id;
      readings += n;
      bytes += b;
      count++;
      last = id;
      expand(out, deviceId, seq, ts, src, body);
    }
    if (count === 0) return undefined;
    const info = this.#st.insertBatch.run(first, last, count, readings, bytes, now);
    const rec: BatchRecord = {
      id: Number(info.lastInsertRowid),
      fromId: first,
      toId: last,
      rows: count,
      readings,
      bytes,
      createdAt: now,
    };
    this.#open.set(rec.id, rec);
    this.#fresh = { id: rec.id, readings: out };
    return rec;
  }

  /** The batch as sent on the wire; identical on every call for the same record. */
  read(rec: BatchRecord, edgeId: string): UplinkBatch {
    let out: UplinkReading[];
    if (this.#fresh?.id === rec.id) {
      out = this.#fresh.readings;
    } else {
      out = [];
      for (const row of this.#st.read.iterate(rec.fromId, rec.toId) as Iterable<
        [string, number, number, number, string]
      >) {
        expand(out, row[0], row[1], row[2], row[3], row[4]);
      }
    }
    this.#fresh = undefined;
    return { batchId: this.batchId(rec), edgeId, createdAt: rec.createdAt, readings: out };
  }

  batchId(rec: BatchRecord): string {
    return `${this.epoch}-${rec.id}`;
  }

  /** The gateway acknowledged the batch: its rows leave the queue. */
  ack(id: number): BatchRecord | undefined {
    const rec = this.#open.get(id);
    if (!rec) return undefined;
    this.db.transaction(() => {
      this.#st.deleteRange.run(rec.fromId, rec.toId);
      this.#st.deleteBatch.run(rec.id);
    })();
    this.#open.delete(id);
    this.rows -= rec.rows;
    this.readings -= rec.readings;
    this.bytes -= rec.bytes;
    return rec;
  }

  /**
   * Drops the oldest unassigned rows until the queue is within `budgetBytes`. Call inside a transaction.
   * Returns the number of readings dropped (0 when within budget or when only assigned rows remain).
   */
  enforceBudget(budgetBytes: number): number {
    let dropped = 0;
    while (this.bytes > budgetBytes) {
      const inBacklog = this.#backlog.length > 0;
      const r: Range = inBacklog ? (this.#backlog[0] as Range) : { from: this.#liveFrom, to: this.#maxId };
      if (!inBacklog && this.#liveReadings === 0) break;
      const rows = this.#st.scan.all(r.from, r.to, 5000) as { id: number; n: number; bytes: number }[];
      if (rows.length === 0) {
        if (inBacklog) this.#backlog.shift();
        else this.#liveReadings = 0;
        continue;
      }
      let last = r.from;
      let readings = 0;
      let count = 0;
      let bytes = 0;
      for (const row of rows) {
        if (this.bytes - bytes <= budgetBytes) break;
        readings += row.n;
        bytes += row.bytes;
        count++;
        last = row.id;
      }
      this.#st.deleteRange.run(r.from, last);
      this.rows -= count;
      this.readings -= readings;
      this.bytes -= bytes;
      dropped += readings;
      if (inBacklog) {
        r.from = last + 1;
        if (r.from > r.to) this.#backlog.shift();
      } else {
        this.#liveFrom = last + 1;
        this.#liveReadings -= readings;
      }
    }
    return dropped;
  }

  /** Recent rows (newest first) received since `sinceRx`, to rebuild the duplicate window after a restart. */
  recent(
    sinceRx: number,
    limit: number,
  ): { device: string; seq: number; ts: number; src: number; rx: number; body: string }[] {
    return this.#st.recent.all(sinceRx, limit) as never;
  }
}

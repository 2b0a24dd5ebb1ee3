import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '@lumbung/schemas';
import Database from 'better-sqlite3';

export interface DeadLetterInput {
  reason: string;
  edgeId?: string | undefined;
  villageId?: string | undefined;
  topic: string;
  batchId?: string | undefined;
  /** Readings (or alerts) affected; 0 when the payload could not be read at all. */
  count: number;
  detail: string;
  rawSize: number;
  /** The raw payload (truncated) or a JSON sample of the rejected readings. */
  sample?: Buffer | string | undefined;
}

export interface DeadLetterRow {
  id: number;
  at: number;
  reason: string;
  edgeId: string | null;
  villageId: string | null;
  topic: string;
  batchId: string | null;
  count: number;
  detail: string;
  rawSize: number;
  /** base64 when the sample is raw bytes, text otherwise. */
  sample: string | null;
  sampleEncoding: 'base64' | 'json' | null;
}

export interface AlertRow extends Alert {
  receivedAt: number;
}

/** The largest piece of a bad payload kept in a dead letter. */
export const DEAD_LETTER_SAMPLE_BYTES = 4096;

/**
 * The gateway's own SQLite file: the ledger of acknowledged batch ids, dead letters and the alert log.
 * WAL with synchronous=NORMAL: the ledger only saves work (the store de-duplicates exactly anyway), so losing its
 * last transactions in a power cut costs a re-write, never a wrong count.
 */
export class GatewayDb {
  readonly #db: Database.Database;
  readonly #stmts;
  #inserts = 0;

  constructor(
    dataDir: string,
    private readonly limits: { deadLetterMax: number; alertLogMax: number },
  ) {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'gateway.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS acked_batches (
        edge_id TEXT NOT NULL, batch_id TEXT NOT NULL, acked_at INTEGER NOT NULL,
        readings INTEGER NOT NULL, PRIMARY KEY (edge_id, batch_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS acked_batches_at ON acked_batches (acked_at);
      CREATE TABLE IF NOT EXISTS dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, reason TEXT NOT NULL,
        edge_id TEXT, village_id TEXT, topic TEXT NOT NULL, batch_id TEXT, count INTEGER NOT NULL,
        detail TEXT NOT NULL, raw_size INTEGER NOT NULL, sample BLOB);
      CREATE TABLE IF NOT EXISTS alerts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, village_id TEXT NOT NULL,
        edge_id TEXT, key TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL, ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS alerts_village ON alerts (village_id, seq);
    `);
    this.#db = db;
    this.#stmts = {
      hasBatch: db.prepare('SELECT 1 FROM acked_batches WHERE edge_id = ? AND batch_id = ?').pluck(),
      addBatch: db.prepare(
        'INSERT OR IGNORE INTO acked_batches (edge_id, batch_id, acked_at, readings) VALUES (?, ?, ?, ?)',
      ),
      pruneBatches: db.prepare('DELETE FROM acked_batches WHERE acked_at < ?'),
      addDead: db.prepare(
        `INSERT INTO dead_letters (at, reason, edge_id, village_id, topic, batch_id, count, detail, raw_size, sample)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      pruneDead: db.prepare('DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM dead_letters) - ?'),
      listDead: db.prepare(
        `SELECT id, at, reason, edge_id, village_id, topic, batch_id, count, detail, raw_size, sample
         FROM dead_letters WHERE (? IS NULL OR reason = ?) AND (? IS NULL OR edge_id = ?) ORDER BY id DESC LIMIT ?`,
      ),
      addAlert: db.prepare(
        `INSERT OR IGNORE INTO alerts (id, village_id, edge_id, key, state, severity, ts, received_at, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      pruneAlerts: db.prepare('DELETE FROM alerts WHERE seq <= (SELECT MAX(seq) FROM alerts) - ?'),
      listAlerts: db.prepare(
        `SELECT json, received_at FROM alerts WHERE (? IS NULL OR village_id = ?) ORDER BY seq DESC LIMIT ?`,
      ),
    };
  }

  hasBatch(edgeId: string, batchId: string): boolean {
    return this.#stmts.hasBatch.get(edgeId, batchId) !== undefined;
  }

  /** Records acknowledged batches in one transaction. */
  readonly recordBatches = (batches: readonly { edgeId: string; batchId: string; readings: number }[], at: number) => {
    this.#db.transaction(() => {
      for (const b of batches) this.#stmts.addBatch.run(b.edgeId, b.batchId, at, b.readings);
    })();
  };

  pruneLedger(before: number): number {
    return this.#stmts.pruneBatches.run(before).changes;
  }

  addDeadLetter(d: DeadLetterInput, at = Date.now()): void {
    let sample: Buffer | string | null = null;
    if (Buffer.isBuffer(d.sample)) sample = d.sample.subarray(0, DEAD_LETTER_SAMPLE_BYTES);
    else if (typeof d.sample === 'string') sample = d.sample.slice(0, DEAD_LETTER_SAMPLE_BYTES);
    this.#stmts.addDead.run(
      at,
      d.reason,
      d.edgeId ?? null,
      d.villageId ?? null,
      d.topic,
      d.batchId ?? null,
      d.count,
      d.detail.slice(0, 2000),
      d.rawSize,
      sample,
    );
    if (++this.#inserts % 100 === 0) this.#stmts.pruneDead.run(this.limits.deadLetterMax);
  }

  deadLetters(q: { reason?: string; edgeId?: string; limit?: number } = {}): DeadLetterRow[] {
    this.#stmts.pruneDead.run(this.limits.deadLetterMax);
    const rows = this.#stmts.listDead.all(
      q.reason ?? null,
      q.reason ?? null,
      q.edgeId ?? null,
      q.edgeId ?? null,
      Math.min(q.limit ?? 100, 1000),
    ) as Record<string, unknown>[];
    return rows.map((r) => {
      const s = r.sample as Buffer | string | null;
      return {
        id: r.id as number,
        at: r.at as number,
        reason: r.reason as string,
        edgeId: r.edge_id as string | null,
        villageId: r.village_id as string | null,
        topic: r.topic as string,
        batchId: r.batch_id as string | null,
        count: r.count as number,
        detail: r.detail as string,
        rawSize: r.raw_size as number,
        sample: s === null ? null : Buffer.isBuffer(s) ? s.toString('base64') : s,
        sampleEncoding: s === null ? null : Buffer.isBuffer(s) ? 'base64' : 'json',
      };
    });
  }

  /** Stores alerts idempotently by id; returns the ones not seen before. */
  addAlerts(alerts: readonly Alert[], at = Date.now()): Alert[] {
    const fresh: Alert[] = [];
    this.#db.transaction(() => {
      for (const a of alerts) {
        const res = this.#stmts.addAlert.run(
          a.id,
          a.villageId,
          a.edgeId ?? null,
          a.key,
          a.state,
          a.severity,
          a.ts,
          at,
          JSON.stringify(a),
        );
        if (res.changes > 0) fresh.push(a);
      }
      if (fresh.length > 0) this.#stmts.pruneAlerts.run(this.limits.alertLogMax);
    })();
    return fresh;
  }

  alerts(q: { villageId?: string; limit?: number } = {}): AlertRow[] {
    const rows = this.#stmts.listAlerts.all(
      q.villageId ?? null,
      q.villageId ?? null,
      Math.min(q.limit ?? 100, 1000),
    ) as {
      json: string;
      received_at: number;
    }[];
    return rows.map((r) => ({ ...(JSON.parse(r.json) as Alert), receivedAt: r.received_at }));
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

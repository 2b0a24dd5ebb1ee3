import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SyncMode = 'full' | 'normal';

/**
 * Schema of the village box's SQLite file (`edge.db` in the data directory).
 * - queue: one row per accepted device message (AUTOINCREMENT: ids never go back, batch ranges rely on it); `body` is the JSON object metric -> value of its accepted readings.
 *   Rows are never updated: a batch is the id range [from_id, to_id] of rows (see queue.ts).
 * - batches: batches assigned but not yet acknowledged by the gateway; resent with the same id and content after a crash.
 * - dead_letters: bounded, newest kept.
 * - alerts: the alert log; `forwarded` is set on the gateway's PUBACK.
 * - rule_state: where each (rule, device) condition stands, so a restart neither repeats nor forgets an alert.
 * - meta: `epoch`, a random tag made when the file is created, part of every batch id so ids stay unique per edge
 *   even if the data directory is wiped.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  src INTEGER NOT NULL,
  rx INTEGER NOT NULL,
  n INTEGER NOT NULL,
  body TEXT NOT NULL,
  bytes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  readings INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY,
  rx INTEGER NOT NULL,
  device TEXT,
  topic TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  raw BLOB NOT NULL,
  raw_bytes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  forwarded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS alerts_unforwarded ON alerts(n) WHERE forwarded = 0;
CREATE TABLE IF NOT EXISTS rule_state (
  rule_id TEXT NOT NULL,
  device TEXT NOT NULL,
  since INTEGER,
  raised INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  PRIMARY KEY (rule_id, device)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

export interface OpenedDb {
  db: Database.Database;
  epoch: string;
}

export function openEdgeDb(dataDir: string, sync: SyncMode): OpenedDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'edge.db'));
  db.pragma('journal_mode = WAL');
  // FULL: a commit is fsynced before the device gets its PUBACK, so an acknowledged reading survives a power cut,
  // the usual failure in a village. NORMAL survives a process crash only. Measured on the 2-core test VM:
  // FULL with ~100-row group commits 185k rows/s, NORMAL 320k rows/s; both far above the 20k msg/s target.
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('temp_store = MEMORY');
  db.exec(SCHEMA);
  let epoch = (db.prepare(`SELECT value FROM meta WHERE key = 'epoch'`).get() as { value: string } | undefined)?.value;
  if (!epoch) {
    epoch = randomBytes(4).toString('hex');
    db.prepare(`INSERT INTO meta (key, value) VALUES ('epoch', ?)`).run(epoch);
  }
  return { db, epoch };
}

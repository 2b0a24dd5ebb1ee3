import type { Alert } from '@lumbung/schemas';
import type Database from 'better-sqlite3';

/** The alert log: every raise and clear, kept until forwarded and then bounded to the newest `max` rows. */
export class AlertLog {
  readonly #st;

  constructor(
    db: Database.Database,
    private readonly max: number,
  ) {
    this.#st = {
      insert: db.prepare('INSERT INTO alerts (id, body) VALUES (?, ?)'),
      prune: db.prepare('DELETE FROM alerts WHERE forwarded = 1 AND n <= (SELECT MAX(n) FROM alerts) - ?'),
      unforwarded: db.prepare('SELECT n, body FROM alerts WHERE forwarded = 0 ORDER BY n LIMIT ?').raw(),
      countUnforwarded: db.prepare('SELECT COUNT(*) FROM alerts WHERE forwarded = 0').pluck(),
      mark: db.prepare('UPDATE alerts SET forwarded = 1 WHERE n BETWEEN ? AND ? AND forwarded = 0'),
      recent: db.prepare('SELECT body, forwarded FROM alerts ORDER BY n DESC LIMIT ?').raw(),
      lastByKey: db
        .prepare(`SELECT body FROM alerts WHERE json_extract(body, '$.key') = ? ORDER BY n DESC LIMIT 1`)
        .pluck(),
    };
  }

  /** Call inside a transaction. */
  insert(alert: Alert): void {
    this.#st.insert.run(alert.id, JSON.stringify(alert));
    this.#st.prune.run(this.max);
  }

  /** The oldest alerts not yet acknowledged by the gateway, with the range of their log positions. */
  unforwarded(limit = 1000): { alerts: Alert[]; from: number; to: number } | undefined {
    const rows = this.#st.unforwarded.all(limit) as [number, string][];
    if (rows.length === 0) return undefined;
    return {
      alerts: rows.map((r) => JSON.parse(r[1]) as Alert),
      from: rows[0]![0],
      to: rows[rows.length - 1]![0],
    };
  }

  get pending(): number {
    return this.#st.countUnforwarded.get() as number;
  }

  markForwarded(from: number, to: number): number {
    return this.#st.mark.run(from, to).changes;
  }

  /** The newest logged alert of a condition (used at start-up to know whether it is still raised). */
  last(key: string): Alert | undefined {
    const body = this.#st.lastByKey.get(key) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as Alert);
  }

  recent(limit: number): (Alert & { forwarded: boolean })[] {
    return (this.#st.recent.all(limit) as [string, number][]).map(([body, fwd]) => ({
      ...(JSON.parse(body) as Alert),
      forwarded: fwd === 1,
    }));
  }
}

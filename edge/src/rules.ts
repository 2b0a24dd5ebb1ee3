import { randomUUID } from 'node:crypto';
import { type Alert, defaultCatalogue, type ThresholdRule } from '@lumbung/schemas';
import type Database from 'better-sqlite3';
import type { ReadingMap } from './validate.ts';

interface RuleState {
  since: number | undefined;
  raised: boolean;
  lastTs: number;
}

const fmt = (v: number | undefined) => (v === undefined ? '–' : String(v));

/**
 * Local threshold rules (ThresholdRule from the provisioning), evaluated per device on each accepted reading with
 * the reading's own timestamp, so a backlog or an offline period gives the same answer as live data.
 * A condition (rule, device) raises once it has held for `forSeconds` and clears when a reading is back in range.
 * Readings older than the last one evaluated for a condition are ignored (late retries must not flip it).
 * The state is persisted on every transition so a restart neither repeats nor forgets a raised alert.
 */
export class RuleEngine {
  #bySiteMetric = new Map<string, ThresholdRule[]>();
  readonly #state = new Map<string, RuleState>();
  readonly #st;

  constructor(
    db: Database.Database,
    private readonly villageId: string,
    private readonly edgeId: string,
  ) {
    this.#st = {
      all: db.prepare('SELECT rule_id AS ruleId, device, since, raised, last_ts AS lastTs FROM rule_state'),
      upsert: db.prepare(
        'INSERT INTO rule_state (rule_id, device, since, raised, last_ts) VALUES (?, ?, ?, ?, ?) ON CONFLICT (rule_id, device) DO UPDATE SET since = excluded.since, raised = excluded.raised, last_ts = excluded.last_ts',
      ),
      deleteRule: db.prepare('DELETE FROM rule_state WHERE rule_id = ?'),
    };
  }

  get ruleCount(): number {
    let n = 0;
    for (const r of this.#bySiteMetric.values()) n += r.length;
    return n;
  }

  load(): void {
    this.#state.clear();
    for (const row of this.#st.all.all() as {
      ruleId: string;
      device: string;
      since: number | null;
      raised: number;
      lastTs: number;
    }[]) {
      this.#state.set(`${row.ruleId}\u0000${row.device}`, {
        since: row.since ?? undefined,
        raised: row.raised === 1,
        lastTs: row.lastTs,
      });
    }
  }

  /** Replaces the rules; state of rules that no longer exist is forgotten. */
  setRules(rules: readonly ThresholdRule[]): void {
    const next = new Map<string, ThresholdRule[]>();
    const ids = new Set<string>();
    for (const r of rules) {
      ids.add(r.id);
      const k = `${r.siteId}\u0000${r.metric}`;
      let list = next.get(k);
      if (!list) next.set(k, (list = []));
      list.push(r);
    }
    for (const key of [...this.#state.keys()]) {
      const ruleId = key.slice(0, key.indexOf('\u0000'));
      if (!ids.has(ruleId)) {
        this.#state.delete(key);
        this.#st.deleteRule.run(ruleId);
      }
    }
    this.#bySiteMetric = next;
  }

  /** Evaluates one message's readings; call inside the group-commit transaction. Returns alerts to log. */
  evaluate(deviceId: string, siteId: string | undefined, readings: ReadingMap, ts: number): Alert[] {
    if (siteId === undefined || this.#bySiteMetric.size === 0) return [];
    let out: Alert[] | undefined;
    for (const metric in readings) {
      const rules = this.#bySiteMetric.get(`${siteId}\u0000${metric}`);
      if (!rules) continue;
      const value = readings[metric] as number;
      for (const rule of rules) {
        const a = this.#step(rule, deviceId, value, ts);
        if (a) (out ??= []).push(a);
      }
    }
    return out ?? [];
  }

  #step(rule: ThresholdRule, deviceId: string, value: number, ts: number): Alert | undefined {
    const key = `${rule.id}\u0000${deviceId}`;
    let s = this.#state.get(key);
    if (s && ts < s.lastTs) return undefined;
    const outside = (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max);
    if (!s) {
      if (!outside) return undefined; // nothing to remember while in range
      s = { since: undefined, raised: false, lastTs: ts };
      this.#state.set(key, s);
    }
    let alert: Alert | undefined;
    if (outside) {
      s.since ??= ts;
      if (!s.raised && ts - s.since >= rule.forSeconds * 1000) {
        s.raised = true;
        alert = this.#alert(rule, deviceId, value, ts, 'raised');
      }
    } else {
      s.since = undefined;
      if (s.raised) {
        s.raised = false;
        alert = this.#alert(rule, deviceId, value, ts, 'cleared');
      }
    }
    s.lastTs = ts;
    this.#st.upsert.run(rule.id, deviceId, s.since ?? null, s.raised ? 1 : 0, s.lastTs);
    return alert;
  }

  #alert(rule: ThresholdRule, deviceId: string, value: number, ts: number, state: 'raised' | 'cleared'): Alert {
    const def = defaultCatalogue.get(rule.metric);
    const label = rule.label ?? def?.label ?? { id: rule.metric, en: rule.metric };
    const unit = def?.unit ? ` ${def.unit}` : '';
    const range = `${fmt(rule.min)}..${fmt(rule.max)}${unit}`;
    const minutes = Math.round(rule.forSeconds / 60);
    const message =
      state === 'raised'
        ? {
            id: `${label.id} di luar batas ${range} selama ${minutes} menit (${value}${unit}) di ${rule.siteId}, perangkat ${deviceId}`,
            en: `${label.en} outside ${range} for ${minutes} min (${value}${unit}) at ${rule.siteId}, device ${deviceId}`,
          }
        : {
            id: `${label.id} kembali normal (${value}${unit}) di ${rule.siteId}, perangkat ${deviceId}`,
            en: `${label.en} back in range (${value}${unit}) at ${rule.siteId}, device ${deviceId}`,
          };
    return {
      id: randomUUID(),
      key: `rule:${rule.id}:${deviceId}`,
      villageId: this.villageId,
      edgeId: this.edgeId,
      source: 'rule',
      state,
      severity: rule.severity,
      ruleId: rule.id,
      siteId: rule.siteId,
      deviceId,
      metric: rule.metric,
      value,
      ts,
      message,
    };
  }
}

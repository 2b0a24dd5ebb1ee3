import { randomUUID } from 'node:crypto';
import type { EventBus, Logger } from '@lumbung/runtime';
import { type Alert, MAX_UP_PAYLOAD_BYTES, type MetricCatalogue } from '@lumbung/schemas';
import type Database from 'better-sqlite3';
import type { AlertLog } from './alerts.ts';
import type { DuplicateWindow } from './dedup.ts';
import type { EdgeEvents } from './events.ts';
import type { EdgeMetrics } from './metrics.ts';
import type { QueuedMessage, ReadingQueue } from './queue.ts';
import type { RuleEngine } from './rules.ts';
import { type DeadLetterReason, type ReadingMap, validateStatus, validateUp } from './validate.ts';

/** What the broker knows about an authenticated device connection. */
export interface DeviceSession {
  deviceId: string;
  villageId: string;
  siteId: string | undefined;
  upTopic: string;
  statusTopic: string;
  downTopic: string;
}

export interface DevicePresence {
  deviceId: string;
  siteId: string | undefined;
  connected: boolean;
  /** Last state the device reported on its retained status topic (or its will). */
  status: 'online' | 'offline' | undefined;
  statusTs: number | undefined;
  firmware: string | undefined;
  lastSeen: number | undefined;
  battery: number | undefined;
  rssi: number | undefined;
  messages: number;
}

/** Presence of a device that has not been heard from since the box started. */
export const emptyPresence = (deviceId: string, siteId: string | undefined): DevicePresence => ({
  deviceId,
  siteId,
  connected: false,
  status: undefined,
  statusTs: undefined,
  firmware: undefined,
  lastSeen: undefined,
  battery: undefined,
  rssi: undefined,
  messages: 0,
});

export interface DeadLetter {
  id: number;
  rx: number;
  deviceId: string | null;
  topic: string;
  reason: DeadLetterReason;
  detail: string;
  /** The raw payload as UTF-8 text (invalid bytes replaced), truncated to MAX_UP_PAYLOAD_BYTES. */
  raw: string;
  rawBytes: number;
}

type Done = (err?: Error | null) => void;

interface Group {
  messages: QueuedMessage[];
  sessions: DeviceSession[];
  readings: ReadingMap[];
  dead: {
    rx: number;
    deviceId: string | undefined;
    topic: string;
    reason: DeadLetterReason;
    detail: string;
    raw: Buffer;
  }[];
  done: Done[];
}

const newGroup = (): Group => ({ messages: [], sessions: [], readings: [], dead: [], done: [] });

/**
 * Validation, dead letters and the durable write of device messages, with group commit: everything that arrives
 * in one turn of the event loop (or up to `groupMax` messages) is written in ONE SQLite transaction, and only then
 * are the aedes callbacks released, which is what sends each device its PUBACK (aedes lib/handlers/publish.js:
 * authorizePublish runs before the PUBACK is written for QoS 1). So a PUBACK always means "on disk".
 */
export class Ingest {
  #group = newGroup();
  #immediate: NodeJS.Immediate | undefined;
  #deadRows = 0;
  #queueFullRaised = false;
  #closed = false;
  readonly presence = new Map<string, DevicePresence>();
  readonly #st;
  /** label children cached: prom-client hashes label objects on every inc() otherwise */
  readonly #in;

  constructor(
    private readonly o: {
      db: Database.Database;
      queue: ReadingQueue;
      rules: RuleEngine;
      alerts: AlertLog;
      dedup: DuplicateWindow;
      metrics: EdgeMetrics;
      events: EventBus<EdgeEvents>;
      logger: Logger;
      catalogue: MetricCatalogue;
      now: () => number;
      villageId: string;
      edgeId: string;
      deadLetterMax: number;
      budgetBytes: number;
      groupMax: number;
      /** Called after each successful commit (the uplink schedules batches; alerts are forwarded). */
      onCommitted: (info: { messages: number; alerts: number }) => void;
    },
  ) {
    const db = o.db;
    this.#st = {
      insertDead: db.prepare(
        'INSERT INTO dead_letters (rx, device, topic, reason, detail, raw, raw_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      pruneDead: db.prepare('DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM dead_letters) - ?'),
      countDead: db.prepare('SELECT COUNT(*) FROM dead_letters').pluck(),
      listDead: db.prepare(
        'SELECT id, rx, device AS deviceId, topic, reason, detail, raw, raw_bytes AS rawBytes FROM dead_letters WHERE (? IS NULL OR reason = ?) ORDER BY id DESC LIMIT ?',
      ),
    };
    this.#deadRows = this.#st.countDead.get() as number;
    // a restart must not raise the queue-full alert a second time (nor forget to clear it)
    this.#queueFullRaised = o.alerts.last(`system:queue-full:${o.edgeId}`)?.state === 'raised';
    const m = o.metrics.messagesIn;
    this.#in = {
      accepted: m.labels('accepted'),
      partial: m.labels('partial'),
      rejected: m.labels('rejected'),
      duplicate: m.labels('duplicate'),
      refused: m.labels('refused'),
      status: m.labels('status'),
    };
  }

  get deadLetterRows(): number {
    return this.#deadRows;
  }

  #presence(s: DeviceSession): DevicePresence {
    let p = this.presence.get(s.deviceId);
    if (!p) {
      p = emptyPresence(s.deviceId, s.siteId);
      this.presence.set(s.deviceId, p);
    }
    return p;
  }

  setConnected(s: DeviceSession, connected: boolean): void {
    const p = this.#presence(s);
    p.connected = connected;
    p.siteId = s.siteId;
    if (connected) p.lastSeen = this.o.now();
  }

  /** `.../up`: validate, dead-letter what is bad, queue what is good; `done` is released after the commit. */
  up(s: DeviceSession, topic: string, payload: Buffer, done: Done): void {
    const now = this.o.now();
    const p = this.#presence(s);
    p.lastSeen = now;
    p.messages++;
    const v = validateUp(payload, now, this.o.catalogue);
    if (!v.ok) {
      // Acknowledged, not refused: a device whose message can never be valid must not retry it forever.
      this.#in.rejected.inc();
      this.#dead(s.deviceId, topic, v.reason, v.detail, payload, now);
      this.#enqueueDone(done);
      return;
    }
    for (const r of v.rejected) {
      this.o.metrics.rejectedReadings.inc({ reason: r.reason }, r.metrics.length);
      this.#dead(s.deviceId, topic, r.reason, `rejected readings: ${r.metrics.join(', ')}`.slice(0, 500), payload, now);
    }
    if (v.count === 0) {
      this.#in.rejected.inc();
      this.#enqueueDone(done);
      return;
    }
    const body = JSON.stringify(v.readings);
    if (this.o.dedup.isDuplicate(s.deviceId, v.seq, v.ts, body)) {
      this.#in.duplicate.inc();
      this.o.metrics.duplicates.inc();
      this.o.events.emit('duplicate', { deviceId: s.deviceId, seq: v.seq });
      // The first copy may still be in this group: the duplicate's PUBACK waits for the same commit.
      this.#enqueueDone(done);
      return;
    }
    this.o.dedup.remember(s.deviceId, v.seq, v.ts, body);
    if (v.readings.battery !== undefined) p.battery = v.readings.battery;
    if (v.readings.rssi !== undefined) p.rssi = v.readings.rssi;
    (v.rejected.length > 0 ? this.#in.partial : this.#in.accepted).inc();
    const g = this.#group;
    g.messages.push({
      deviceId: s.deviceId,
      seq: v.seq,
      ts: v.ts ?? now,
      tsSource: v.ts !== undefined ? 'device' : 'edge',
      rx: now,
      readings: v.count,
      body,
    });
    g.sessions.push(s);
    g.readings.push(v.readings);
    this.#enqueueDone(done);
    if (g.messages.length >= this.o.groupMax) this.flush();
  }

  /** `.../status` (retained presence or the will): tracked, not queued; acknowledged at once. */
  status(s: DeviceSession, topic: string, payload: Buffer, done: Done): void {
    const now = this.o.now();
    const v = validateStatus(payload);
    (v.ok ? this.#in.status : this.#in.rejected).inc();
    if (!v.ok) {
      this.#dead(s.deviceId, topic, v.reason, v.detail, payload, now);
      this.#enqueueDone(done);
      return;
    }
    const p = this.#presence(s);
    p.status = v.status.state;
    p.statusTs = v.status.ts ?? now;
    if (v.status.firmware !== undefined) p.firmware = v.status.firmware;
    p.lastSeen = now;
    this.o.events.emit('device-status', { deviceId: s.deviceId, state: v.status.state });
    done(null);
  }

  /** A publish the caller refuses (outside the device's own topics, or abusively large): counted and dead-lettered. */
  refused(
    s: DeviceSession,
    topic: string,
    payload: Buffer,
    why: 'forbidden_topic' | 'payload_too_large' = 'forbidden_topic',
  ): void {
    this.#in.refused.inc();
    this.o.metrics.refused.inc({ reason: why });
    this.o.events.emit('publish-refused', { deviceId: s.deviceId, topic });
    const detail =
      why === 'forbidden_topic'
        ? `device ${s.deviceId} may publish only to ${s.upTopic} and ${s.statusTopic}`
        : `payload of ${payload.length} bytes; connection closed`;
    this.#dead(
      s.deviceId,
      topic,
      why === 'forbidden_topic' ? 'forbidden_topic' : 'too_large',
      detail,
      payload,
      this.o.now(),
    );
    this.#schedule();
  }

  #dead(
    deviceId: string | undefined,
    topic: string,
    reason: DeadLetterReason,
    detail: string,
    raw: Buffer,
    rx: number,
  ) {
    this.o.metrics.deadLetters.inc({ reason });
    this.#group.dead.push({
      rx,
      deviceId,
      topic: topic.slice(0, 512),
      reason,
      detail,
      raw: raw.length > MAX_UP_PAYLOAD_BYTES ? raw.subarray(0, MAX_UP_PAYLOAD_BYTES) : raw,
    });
    this.o.events.emit('dead-letter', { deviceId, topic, reason, detail });
  }

  #enqueueDone(done: Done) {
    this.#group.done.push(done);
    this.#schedule();
  }

  #schedule() {
    if (this.#immediate === undefined) this.#immediate = setImmediate(() => this.flush());
  }

  /** Writes the current group in one transaction and releases its callbacks. Safe to call at any time. */
  flush(): void {
    if (this.#immediate !== undefined) {
      clearImmediate(this.#immediate);
      this.#immediate = undefined;
    }
    const g = this.#group;
    if (g.done.length === 0 && g.dead.length === 0 && g.messages.length === 0) return;
    this.#group = newGroup();
    if (this.#closed) {
      // late callbacks after stop() (e.g. a will published while aedes closes): nothing is written or acked
      for (const cb of g.done) cb(new Error('edge stopped'));
      return;
    }
    const alerts: Alert[] = [];
    let dropped = 0;
    const end = this.o.metrics.commitSeconds.startTimer();
    try {
      this.o.db.transaction(() => {
        const { queue, rules } = this.o;
        for (let i = 0; i < g.messages.length; i++) {
          const m = g.messages[i] as QueuedMessage;
          queue.append(m);
          const s = g.sessions[i] as DeviceSession;
          for (const a of rules.evaluate(m.deviceId, s.siteId, g.readings[i] as ReadingMap, m.ts)) alerts.push(a);
        }
        if (g.dead.length > 0) {
          for (const d of g.dead) {
            this.#st.insertDead.run(d.rx, d.deviceId ?? null, d.topic, d.reason, d.detail, d.raw, d.raw.length);
          }
          this.#deadRows += g.dead.length;
          if (this.#deadRows > this.o.deadLetterMax) {
            this.#deadRows -= this.#st.pruneDead.run(this.o.deadLetterMax).changes;
          }
        }
        dropped = queue.enforceBudget(this.o.budgetBytes);
        const sys = this.#queueAlert(dropped);
        if (sys) alerts.push(sys);
        for (const a of alerts) this.o.alerts.insert(a);
      })();
    } catch (err) {
      end();
      // Nothing of this group is on disk: the devices get no PUBACK and will retry, so forget their seqs.
      this.o.queue.load();
      this.o.rules.load();
      for (const m of g.messages) this.o.dedup.forget(m.deviceId, m.seq);
      this.o.logger.error({ err, messages: g.messages.length }, 'group commit failed; devices will retry');
      for (const cb of g.done) cb(err as Error);
      return;
    }
    end();
    const { metrics, events } = this.o;
    if (g.messages.length > 0) {
      let readings = 0;
      for (const m of g.messages) {
        readings += m.readings;
        events.emit('reading-accepted', { deviceId: m.deviceId, seq: m.seq, readings: m.readings });
      }
      metrics.readingsQueued.inc(readings);
    }
    if (dropped > 0) {
      metrics.droppedReadings.inc(dropped);
      this.o.logger.warn({ dropped, queueBytes: this.o.queue.bytes }, 'queue full: oldest readings dropped');
      events.emit('readings-dropped', { readings: dropped, queueBytes: this.o.queue.bytes });
    }
    for (const a of alerts) {
      metrics.alertsRaised.inc({ source: a.source, state: a.state });
      events.emit('alert', a);
    }
    for (const cb of g.done) cb(null);
    this.o.onCommitted({ messages: g.messages.length, alerts: alerts.length });
  }

  /** The system alert of a full queue: raised on the first drop, cleared once the queue is below 80% of its budget. */
  #queueAlert(dropped: number): Alert | undefined {
    const q = this.o.queue;
    const raise = dropped > 0 && !this.#queueFullRaised;
    const clear = dropped === 0 && this.#queueFullRaised && q.bytes < this.o.budgetBytes * 0.8;
    if (!raise && !clear) return undefined;
    this.#queueFullRaised = raise;
    const mb = (this.o.budgetBytes / 1e6).toFixed(0);
    return {
      id: randomUUID(),
      key: `system:queue-full:${this.o.edgeId}`,
      villageId: this.o.villageId,
      edgeId: this.o.edgeId,
      source: 'system',
      state: raise ? 'raised' : 'cleared',
      severity: raise ? 'critical' : 'info',
      value: raise ? dropped : q.bytes,
      ts: this.o.now(),
      message: raise
        ? {
            id: `Antrean kotak desa penuh (${mb} MB): pembacaan tertua dibuang. Periksa koneksi internet.`,
            en: `Village box queue full (${mb} MB): oldest readings are being dropped. Check the internet link.`,
          }
        : {
            id: 'Antrean kotak desa kembali di bawah batas.',
            en: 'Village box queue is back under its budget.',
          },
    };
  }

  listDeadLetters(limit = 100, reason?: string): DeadLetter[] {
    const rows = this.#st.listDead.all(reason ?? null, reason ?? null, Math.min(Math.max(limit, 1), 1000)) as (Omit<
      DeadLetter,
      'raw'
    > & { raw: Buffer })[];
    return rows.map((r) => ({ ...r, raw: r.raw.toString('utf8') }));
  }

  /** Used by stop(): writes what is pending; afterwards nothing is written. */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}

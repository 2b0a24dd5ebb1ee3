import type { EventBus, Logger } from '@lumbung/runtime';
import {
  type AlertBatch,
  type DevicePresenceBatch,
  type EdgeStatusPayload,
  edgeTopic,
  encodeBatch,
} from '@lumbung/schemas';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { AlertLog } from './alerts.ts';
import type { EdgeEvents, UplinkState } from './events.ts';
import type { EdgeMetrics } from './metrics.ts';
import type { BatchRecord, ReadingQueue } from './queue.ts';

export interface UplinkOptions {
  /** mqtt://host:port or mqtts://host:port of the gateway. */
  url: string;
  /** Defaults to the edge id. */
  username?: string;
  /** The edge secret. */
  password?: string;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  /** Readings per batch (at most 50,000, the contract's limit). Default 5000. */
  batchMaxReadings?: number;
  /** How long the newest reading may wait for a batch to fill. Default 250 ms. */
  batchMaxDelayMs?: number;
  /** Batches published and not yet acknowledged. Default 8. */
  maxInflightBatches?: number;
  /** Reconnect backoff: starts here, doubles per failed attempt (±20% jitter), capped at reconnectMaxMs. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  connectTimeoutMs?: number;
  keepaliveSeconds?: number;
}

export const UPLINK_DEFAULTS = {
  batchMaxReadings: 5000,
  batchMaxDelayMs: 250,
  maxInflightBatches: 8,
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
  connectTimeoutMs: 10_000,
  keepaliveSeconds: 30,
} as const;

/**
 * The link to the gateway: mqtt.js, QoS 1, persistent session (clean: false), client id `edge-<edgeId>`,
 * a retained `online` status with a retained `offline` will.
 *
 * Resending: mqtt.js would resend its in-memory unacknowledged publishes after a reconnect, but one at a time
 * and only within one process. We instead give each connection a fresh mqtt.js client (reconnectPeriod 0, our own
 * growing backoff) and resend every open batch from SQLite ourselves, with the DUP flag, whether the link dropped
 * or the edge restarted: one path, same batch id and content, no double send from two mechanisms. Callbacks of an
 * abandoned client are ignored by generation number.
 */
export class Uplink {
  #state: UplinkState = 'offline';
  #client: MqttClient | undefined;
  #gen = 0;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #liveTimer: NodeJS.Timeout | undefined;
  #liveDue = false;
  #preferLive = false;
  #stopping = false;
  readonly #inflight = new Map<number, number>();
  /** Batches that may have been published before (this process or an earlier one): resent with DUP. */
  readonly #maybeSent = new Set<number>();
  #alertsInflight = false;
  readonly #o: Required<Omit<UplinkOptions, 'username' | 'password' | 'ca' | 'cert' | 'key' | 'rejectUnauthorized'>> &
    UplinkOptions;
  readonly #topics;

  constructor(
    opts: UplinkOptions,
    private readonly d: {
      villageId: string;
      edgeId: string;
      queue: ReadingQueue;
      alerts: AlertLog;
      metrics: EdgeMetrics;
      events: EventBus<EdgeEvents>;
      logger: Logger;
      now: () => number;
    },
  ) {
    this.#o = { ...UPLINK_DEFAULTS, ...opts };
    this.#topics = {
      batch: edgeTopic(d.villageId, d.edgeId, 'batch'),
      alerts: edgeTopic(d.villageId, d.edgeId, 'alerts'),
      status: edgeTopic(d.villageId, d.edgeId, 'status'),
      devices: edgeTopic(d.villageId, d.edgeId, 'devices'),
    };
  }

  get state(): UplinkState {
    return this.#state;
  }

  start(): void {
    this.#stopping = false;
    for (const b of this.d.queue.openBatches()) this.#maybeSent.add(b.id);
    this.#connect();
  }

  #setState(state: UplinkState, error?: string) {
    if (this.#state === state) return;
    this.#state = state;
    this.d.events.emit('uplink-state', error ? { state, error } : { state });
  }

  #status(state: 'online' | 'offline'): Buffer {
    const p: EdgeStatusPayload = { state, ts: this.d.now(), queueDepth: this.d.queue.readings };
    return Buffer.from(JSON.stringify(p));
  }

  #connect() {
    this.#reconnectTimer = undefined;
    if (this.#stopping) return;
    const gen = ++this.#gen;
    const o = this.#o;
    const options: IClientOptions = {
      clientId: `edge-${this.d.edgeId}`,
      clean: false,
      protocolVersion: 4,
      username: o.username ?? this.d.edgeId,
      password: o.password,
      reconnectPeriod: 0,
      connectTimeout: o.connectTimeoutMs,
      keepalive: o.keepaliveSeconds,
      will: { topic: this.#topics.status, payload: this.#status('offline'), qos: 1, retain: true },
      ...(o.ca !== undefined ? { ca: o.ca } : {}),
      ...(o.cert !== undefined ? { cert: o.cert } : {}),
      ...(o.key !== undefined ? { key: o.key } : {}),
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
    };
    this.#setState('connecting');
    const client = mqtt.connect(o.url, options);
    this.#client = client;
    client.on('connect', () => {
      if (gen !== this.#gen) return;
      this.#attempt = 0;
      this.#setState('online');
      this.d.logger.info({ url: o.url }, 'uplink connected');
      client.publish(this.#topics.status, this.#status('online'), { qos: 1, retain: true });
      // After an outage the readings that piled up become backlog; new ones form the live range, so both flow.
      if (this.d.queue.liveReadings > o.batchMaxReadings) this.d.queue.split();
      this.pump();
      this.forwardAlerts();
    });
    client.on('error', (err) => {
      if (gen !== this.#gen) return;
      this.d.logger.warn({ err: err.message }, 'uplink error');
    });
    client.on('close', () => {
      if (gen !== this.#gen) return;
      this.#lost(client);
    });
  }

  #lost(client: MqttClient) {
    this.#gen++;
    this.#client = undefined;
    client.removeAllListeners();
    client.on('error', () => {});
    client.end(true);
    for (const id of this.#inflight.keys()) this.#maybeSent.add(id);
    this.#inflight.clear();
    this.#alertsInflight = false;
    if (this.#stopping) return;
    this.#setState('offline');
    const o = this.#o;
    const base = Math.min(o.reconnectMaxMs, o.reconnectMinMs * 2 ** Math.min(this.#attempt, 20));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.#attempt++;
    this.d.metrics.uplinkReconnects.inc();
    this.d.logger.info({ delayMs: delay, attempt: this.#attempt }, 'uplink lost; reconnecting');
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  /** New readings were committed: send what is due, or arm the batch timer. */
  notify(): void {
    if (this.d.queue.liveReadings >= this.#o.batchMaxReadings) this.pump();
    else this.#armLiveTimer();
  }

  #armLiveTimer() {
    if (this.#liveTimer !== undefined || this.#liveDue || this.d.queue.liveReadings === 0 || this.#stopping) return;
    this.#liveTimer = setTimeout(() => {
      this.#liveTimer = undefined;
      this.#liveDue = true;
      this.pump();
    }, this.#o.batchMaxDelayMs);
  }

  /** Sends open batches not yet sent on this connection, then new ones, up to maxInflightBatches. */
  pump(): void {
    const client = this.#client;
    if (this.#state !== 'online' || !client || this.#stopping) {
      this.#armLiveTimer();
      return;
    }
    const q = this.d.queue;
    while (this.#inflight.size < this.#o.maxInflightBatches) {
      let rec = q.openBatches().find((b) => !this.#inflight.has(b.id));
      if (!rec) rec = this.#next();
      if (!rec) break;
      this.#send(client, rec);
    }
    this.#armLiveTimer();
  }

  #next(): BatchRecord | undefined {
    const q = this.d.queue;
    const live = q.liveReadings >= this.#o.batchMaxReadings || (this.#liveDue && q.liveReadings > 0);
    const backlog = q.hasBacklog;
    let kind: 'live' | 'backlog';
    if (live && backlog) {
      kind = this.#preferLive ? 'live' : 'backlog';
      this.#preferLive = !this.#preferLive;
    } else if (backlog) kind = 'backlog';
    else if (live) kind = 'live';
    else return undefined;
    const rec = q.take(kind, this.d.now());
    if (kind === 'live') this.#liveDue = false;
    return rec ?? (kind === 'backlog' && live ? q.take('live', this.d.now()) : undefined);
  }

  #send(client: MqttClient, rec: BatchRecord) {
    const gen = this.#gen;
    const resend = this.#maybeSent.has(rec.id);
    const batch = this.d.queue.read(rec, this.d.edgeId);
    const batchId = batch.batchId;
    if (batch.readings.length === 0) {
      // every row of the range is gone (cannot happen in normal operation): nothing to send, just retire it
      this.d.queue.ack(rec.id);
      return;
    }
    const payload = encodeBatch(batch);
    const sentAt = performance.now();
    this.#inflight.set(rec.id, sentAt);
    this.d.metrics.batchesSent.inc({ kind: resend ? 'resend' : 'new' });
    this.d.events.emit('batch-sent', { batchId, readings: rec.readings, resend });
    client.publish(this.#topics.batch, payload, { qos: 1, dup: resend }, (err) => {
      if (gen !== this.#gen) return; // connection abandoned: the batch stays open and is resent
      this.#inflight.delete(rec.id);
      if (err) {
        this.d.logger.warn({ err: err.message, batchId }, 'batch publish failed; will resend');
        this.#maybeSent.add(rec.id);
        setTimeout(() => this.pump(), 1000).unref();
        return;
      }
      this.d.queue.ack(rec.id);
      this.#maybeSent.delete(rec.id);
      const latency = performance.now() - sentAt;
      this.d.metrics.batchesAcked.inc();
      this.d.metrics.readingsUplinked.inc(rec.readings);
      this.d.metrics.batchAckSeconds.observe(latency / 1000);
      this.d.events.emit('batch-acked', { batchId, readings: rec.readings, latencyMs: latency });
      this.pump();
    });
  }

  /** Forwards unforwarded alerts (oldest first, up to 1000 per message); marks them forwarded on PUBACK. */
  forwardAlerts(): void {
    const client = this.#client;
    if (this.#state !== 'online' || !client || this.#alertsInflight) return;
    const next = this.d.alerts.unforwarded(1000);
    if (!next) return;
    const gen = this.#gen;
    this.#alertsInflight = true;
    const body: AlertBatch = { alerts: next.alerts };
    client.publish(this.#topics.alerts, JSON.stringify(body), { qos: 1 }, (err) => {
      if (gen !== this.#gen) return;
      this.#alertsInflight = false;
      if (err) return;
      this.d.alerts.markForwarded(next.from, next.to);
      this.d.metrics.alertsForwarded.inc(next.alerts.length);
      this.forwardAlerts();
    });
  }

  /**
   * Publishes the presence of devices (QoS 1). Returns false when not connected: nothing is kept for later, the
   * snapshot sent after the next connect carries the newest state of every device.
   */
  publishPresence(body: DevicePresenceBatch): boolean {
    const client = this.#client;
    if (this.#state !== 'online' || !client) return false;
    const gen = this.#gen;
    client.publish(this.#topics.devices, JSON.stringify(body), { qos: 1 }, (err) => {
      if (gen !== this.#gen || err) return;
      this.d.metrics.presenceForwarded.inc(body.devices.length);
    });
    return true;
  }

  /**
   * Stops sending new batches, waits up to `drainMs` for in-flight acknowledgements, publishes the retained
   * `offline` status and disconnects. Unacknowledged batches stay in the queue and are resent on the next start.
   */
  async stop(drainMs = 1000): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#liveTimer);
    this.#reconnectTimer = undefined;
    this.#liveTimer = undefined;
    const client = this.#client;
    if (client && this.#state === 'online') {
      const until = Date.now() + drainMs;
      while (this.#inflight.size > 0 && Date.now() < until && this.#client === client) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        client.publish(this.#topics.status, this.#status('offline'), { qos: 1, retain: true }, () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.#gen++;
    this.#client = undefined;
    this.#inflight.clear();
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          client.end(true);
          resolve();
        }, 500);
        client.end(false, {}, () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.#setState('stopped');
  }
}

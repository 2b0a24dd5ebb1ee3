import net from 'node:net';
import tls from 'node:tls';
import {
  type CloudProvisioningSource,
  type Component,
  cloudProvisioningSync,
  createLogger,
  EventBus,
  guardMqttPacketSize,
  type HealthReport,
  type Logger,
  listen,
  OpsServer,
  type ProvisioningSync,
  type ProvisioningSyncState,
  verifySecret,
} from '@lumbung/runtime';
import {
  type Alert,
  AlertBatch,
  BatchDecodeError,
  DevicePresenceBatch,
  defaultCatalogue,
  type EdgeCredential,
  EdgeStatusPayload,
  GatewayProvisioning,
  MAX_BATCH_BYTES,
  type MetricCatalogue,
  parseTopic,
} from '@lumbung/schemas';
import type { StoredReading, TimeSeriesStore } from '@lumbung/store';
import { Aedes, type AedesPublishPacket, type Client, type PublishPacket, type Subscription } from 'aedes';
import { type DeadLetterInput, GatewayDb } from './db.ts';
import { checkBatch, type ReadingRejection, type RejectedReading } from './decode.ts';
import { GatewayMetrics } from './metrics.ts';
import { RecentWindow } from './window.ts';
import { GroupCommitWriter, type WriteGroup } from './writer.ts';

/** Where the gateway pulls its edges from: `GET {url}/api/v1/provisioning/gateway`, `Authorization: Bearer <token>`. */
export interface GatewayCloudOptions extends CloudProvisioningSource {
  token: string;
}

export interface GatewayOptions {
  /** The village boxes allowed to connect; replace at run time with `setProvisioning()`. Or `cloud`. */
  provisioning?: GatewayProvisioning;
  /** Pull the edges from the cloud registry when started, keep them cached, apply their changes live. */
  cloud?: GatewayCloudOptions;
  /** Where readings go. The gateway starts nothing on it and never stops it: the caller owns the store. */
  store: TimeSeriesStore;
  /** Directory of the gateway's own SQLite file (`gateway.sqlite`). */
  dataDir: string;
  mqtt?: {
    host?: string;
    /** 0 (default) picks a free port; read it from `gateway.mqttPort` after start(). */
    port?: number;
    /** PEM key and certificate: the listener speaks MQTT over TLS (`tls.createServer`). */
    tls?: { key: string | Buffer; cert: string | Buffer };
  };
  /** /health, /metrics, /edges, /alerts, /dead-letters. `false` runs no ops endpoint. */
  ops?: { host?: string; port?: number } | false;
  write?: {
    /** Readings per store write (default 50,000). */
    maxReadings?: number;
    /** How long an idle writer waits for more batches (default 0: write as soon as the store is idle). */
    maxDelayMs?: number;
    /** Retries of a failed store write before the waiting edges are disconnected (default 5). */
    retries?: number;
    /** First retry delay in ms, doubling (default 100). */
    backoffMs?: number;
  };
  catalogue?: MetricCatalogue;
  /** Recently stored reading keys remembered for de-duplication (default 200,000; 0 disables the window). */
  dedupWindow?: number;
  deadLetterMax?: number;
  alertLogMax?: number;
  ledgerRetentionDays?: number;
  /** Events for other features of the process (the cloud streams `batch-stored` to dashboards). */
  events?: EventBus<GatewayEvents>;
  logger?: Logger;
  /** Clock, for tests of timestamp checks. */
  now?: () => number;
}

export interface BatchStoredEvent {
  villageId: string;
  edgeId: string;
  batchId: string;
  /** Readings in the batch. */
  received: number;
  /** Readings handed to the store (the store may still report some of them as duplicates of older writes). */
  stored: number;
  /** Readings dropped by the gateway as duplicates (same batch, or recently stored). */
  duplicates: number;
  deadLettered: number;
  receivedAt: number;
  /** The durable readings of this batch, for live views. Do not mutate. */
  readings: readonly StoredReading[];
}

/** What an operator's live view gets for each dead letter (the stored row also keeps the raw payload). */
export type DeadLetterEvent = Omit<DeadLetterInput, 'rawSize' | 'sample'>;

export interface EdgeStatusEvent {
  edgeId: string;
  villageId: string;
  /** `connected`/`disconnected` come from the broker, `online`/`offline` from the edge's status topic (or will). */
  kind: 'connected' | 'disconnected' | 'status';
  status?: EdgeStatusPayload;
  at: number;
}

/** Online/offline of devices as their village box reported them (`.../edges/{edgeId}/devices`). */
export interface DevicePresenceEvent {
  villageId: string;
  edgeId: string;
  /** `ts`: the box's clock when the state began. */
  devices: { deviceId: string; state: 'online' | 'offline'; ts: number }[];
  /** Receipt at the gateway. */
  at: number;
}

export interface WriteEvent {
  batches: number;
  readings: number;
  written: number;
  duplicates: number;
  durationMs: number;
}

export type GatewayEvents = {
  'batch-stored': BatchStoredEvent;
  'dead-letter': DeadLetterEvent;
  alert: { alert: Alert; edgeId: string };
  'edge-status': EdgeStatusEvent;
  'device-presence': DevicePresenceEvent;
  write: WriteEvent;
  'write-failed': { error: string; attempt: number; willRetry: boolean };
};

export interface EdgePresence {
  edgeId: string;
  villageId: string;
  revoked: boolean;
  /** Open MQTT connections of this edge. */
  connections: number;
  lastConnectedAt: number | null;
  lastDisconnectedAt: number | null;
  /** The last payload on the edge's status topic (or its will), with receipt time. */
  status: (EdgeStatusPayload & { receivedAt: number }) | null;
  lastBatchAt: number | null;
  batches: number;
  readings: number;
}

interface ClientState {
  edge: EdgeCredential;
  ackTail: Promise<void>;
}

interface Entry {
  edgeId: string;
  villageId: string;
  batchId: string;
  received: number;
  duplicates: number;
  deadLettered: number;
  receivedAt: number;
  readings: StoredReading[];
  /** Window series id of each reading (for remembering them once durable). */
  sids: Int32Array;
}

const EMPTY = Buffer.alloc(0);
const HOUR = 3_600_000;

class RefusedError extends Error {
  constructor(readonly reason: string) {
    super(`not authorized: ${reason}`);
  }
}

/**
 * The cloud ingestion gateway: an MQTT broker (aedes) for village boxes. Each edge authenticates with its own
 * secret and may publish only under its own village and edge id. A QoS 1 batch is acknowledged (PUBACK) only after
 * its readings were written durably to the time-series store; see docs/decisions/0004-gateway-acknowledgement.md.
 */
export class Gateway implements Component {
  readonly events: EventBus<GatewayEvents>;
  readonly metrics = new GatewayMetrics({
    pendingReadings: () => this.pendingReadings,
    connectedEdges: () => this.#clients.size,
  });
  readonly #log: Logger;
  readonly #now: () => number;
  #edges = new Map<string, EdgeCredential>();
  readonly #clients = new Map<Client, ClientState>();
  readonly #presence = new Map<string, EdgePresence>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #acks = new Set<Promise<void>>();
  #window: RecentWindow | undefined;
  #db: GatewayDb | undefined;
  #broker: Aedes | undefined;
  #server: net.Server | undefined;
  #ops: OpsServer | undefined;
  #writer: GroupCommitWriter<Entry> | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #sync: ProvisioningSync<GatewayProvisioning> | undefined;
  #mqttPort = 0;
  #stopping = false;
  #lastWriteAt: number | null = null;

  constructor(private readonly opts: GatewayOptions) {
    this.events = opts.events ?? new EventBus<GatewayEvents>();
    this.#log = opts.logger ?? createLogger('gateway');
    this.#now = opts.now ?? Date.now;
  }

  /** The bound MQTT port (after start()). */
  get mqttPort(): number {
    return this.#mqttPort;
  }

  /** The bound ops port (after start(); 0 without an ops endpoint). */
  get opsPort(): number {
    return this.#ops?.port ?? 0;
  }

  get pendingReadings(): number {
    return this.#writer?.pendingReadings ?? 0;
  }

  async start(): Promise<void> {
    const o = this.opts;
    this.#stopping = false;
    if (o.cloud) {
      this.#sync = this.#cloudSync(o.cloud);
      this.#applyProvisioning(await this.#sync.start());
    } else if (o.provisioning) this.#applyProvisioning(GatewayProvisioning.parse(o.provisioning));
    else throw new Error('GatewayOptions: give the provisioning, or the cloud to fetch it from');
    try {
      await this.#open();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  #cloudSync(c: GatewayCloudOptions): ProvisioningSync<GatewayProvisioning> {
    return cloudProvisioningSync<GatewayProvisioning>(c, {
      route: 'gateway',
      authorization: `Bearer ${c.token}`,
      dataDir: this.opts.dataDir,
      parse: (json) => GatewayProvisioning.parse(json),
      logger: this.#log,
      now: this.#now,
      onChange: (p) => this.setProvisioning(p),
      onResult: (result) => this.metrics.provisioningFetches.inc({ result }),
    });
  }

  async #open(): Promise<void> {
    const o = this.opts;
    this.#db = new GatewayDb(o.dataDir, {
      deadLetterMax: o.deadLetterMax ?? 10_000,
      alertLogMax: o.alertLogMax ?? 100_000,
    });
    this.#window = new RecentWindow(o.dedupWindow ?? 200_000);
    this.#writer = new GroupCommitWriter<Entry>(
      o.store,
      {
        maxReadings: o.write?.maxReadings ?? 50_000,
        maxDelayMs: o.write?.maxDelayMs ?? 0,
        retries: o.write?.retries ?? 5,
        backoffMs: o.write?.backoffMs ?? 100,
      },
      {
        committed: (g) => this.#committed(g),
        hookFailed: (err) => this.#log.error({ err }, 'recording acknowledged batches in the ledger failed'),
        failed: (err, attempt, willRetry) => {
          this.metrics.storeErrors.inc();
          this.#log.error({ err, attempt, willRetry }, 'store write failed');
          this.#emit('write-failed', { error: err.message, attempt, willRetry });
        },
      },
    );

    const broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => done(null, this.#authenticate(client, username, password)),
      authorizePublish: (client, packet, done) => this.#authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => done(null, this.#authorizeSubscribe(client, sub)),
      authorizeForward: (client, packet) => this.#authorizeForward(client, packet),
    });
    this.#broker = broker;
    broker.on('clientReady', (client) => this.#onConnected(client));
    broker.on('clientDisconnect', (client) => this.#onDisconnected(client));
    broker.on('clientError', (client, err) =>
      this.#log.debug({ clientId: client.id, err: err.message }, 'client error'),
    );

    // A packet announcing more than the largest valid batch (plus topic and header) is cut off at its header,
    // before aedes buffers it: aedes has no packet size limit.
    const handle = (socket: net.Socket) => {
      guardMqttPacketSize(socket, MAX_BATCH_BYTES + 1024, (announced) => {
        this.metrics.publishRefused.inc({ reason: 'packet_too_large' });
        this.#log.warn(
          { remote: socket.remoteAddress, announced },
          'MQTT packet over the size limit; connection closed',
        );
      });
      broker.handle(socket);
    };
    const tlsOpts = o.mqtt?.tls;
    const server = tlsOpts
      ? tls.createServer({ key: tlsOpts.key, cert: tlsOpts.cert }, handle)
      : net.createServer(handle);
    this.#mqttPort = await listen(server, o.mqtt?.port ?? 0, o.mqtt?.host ?? '127.0.0.1');
    this.#server = server;

    if (o.ops !== false) {
      this.#ops = new OpsServer({
        host: o.ops?.host ?? '127.0.0.1',
        port: o.ops?.port ?? 0,
        registry: this.metrics.registry,
        health: () => this.health(),
        routes: {
          '/edges': () => ({ edges: this.edges() }),
          '/alerts': (url) => ({
            alerts: this.alerts({
              villageId: url.searchParams.get('village') ?? undefined,
              limit: numberParam(url, 'limit'),
            }),
          }),
          '/dead-letters': (url) => ({
            deadLetters: this.deadLetters({
              reason: url.searchParams.get('reason') ?? undefined,
              edgeId: url.searchParams.get('edge') ?? undefined,
              limit: numberParam(url, 'limit'),
            }),
          }),
        },
      });
      await this.#ops.start();
    }
    // At start as well as hourly: a gateway restarted more often than hourly would otherwise never prune.
    this.#pruneLedger();
    this.#pruneTimer = setInterval(() => this.#pruneLedger(), HOUR);
    this.#pruneTimer.unref();
    this.#log.info({ port: this.#mqttPort, tls: Boolean(tlsOpts), opsPort: this.opsPort }, 'gateway listening');
  }

  /**
   * Finishes the writes in flight (and acknowledges them), then closes the broker, its sockets, the ops endpoint,
   * SQLite and timers. New batches arriving meanwhile are refused (their edges resend after reconnecting).
   * The store is not stopped.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#sync?.stop();
    this.#sync = undefined;
    const server = this.#server;
    this.#server = undefined;
    const serverClosed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    if (this.#writer) await this.#writer.drain();
    await Promise.allSettled([...this.#acks]);
    await this.#flushAcks(1000);
    const broker = this.#broker;
    this.#broker = undefined;
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    await serverClosed;
    await this.#ops?.stop();
    this.#ops = undefined;
    if (this.#pruneTimer) clearInterval(this.#pruneTimer);
    this.#pruneTimer = undefined;
    this.#db?.close();
    this.#db = undefined;
    this.#writer = undefined;
    this.#window?.clear();
    this.#clients.clear();
  }

  /** Forgets acknowledged batch ids older than `ledgerRetentionDays` (by the gateway's clock). */
  #pruneLedger(): void {
    const retention = (this.opts.ledgerRetentionDays ?? 30) * 24 * HOUR;
    try {
      const pruned = this.#db?.pruneLedger(this.#now() - retention) ?? 0;
      if (pruned > 0) this.#log.info({ pruned }, 'pruned acknowledged batch ids past the ledger retention');
    } catch (err) {
      this.#log.error({ err }, 'pruning the batch ledger failed');
    }
  }

  /**
   * Lets the PUBACKs just released leave before the broker closes: mqtt-packet writes a packet corked and uncorks
   * it on the next tick, and aedes destroys the socket on close, which would drop both still-corked and buffered
   * bytes. Waits one turn of the event loop, then for sockets with unsent data to drain (at most `timeoutMs`).
   */
  async #flushAcks(timeoutMs: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const pending = [...this.#clients.keys()]
      .map((c) => c.conn)
      .filter((s) => !s.destroyed && s.writableLength > 0)
      .map(
        (s) =>
          new Promise<void>((resolve) => {
            s.once('drain', resolve);
            s.once('close', resolve);
          }),
      );
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Replaces the provisioning; connected edges that were removed, revoked, moved or re-keyed are disconnected. */
  setProvisioning(provisioning: GatewayProvisioning): void {
    this.#applyProvisioning(GatewayProvisioning.parse(provisioning));
    for (const [client, st] of this.#clients) {
      const now = this.#edges.get(st.edge.edgeId);
      if (!now || now.revoked || now.villageId !== st.edge.villageId || now.secretHash !== st.edge.secretHash) {
        this.#log.warn({ edgeId: st.edge.edgeId }, 'edge no longer authorised: disconnecting');
        client.close();
      }
    }
  }

  /** Where the provisioning comes from and how its last fetch went (undefined without `cloud`). */
  get provisioningSync(): ProvisioningSyncState | undefined {
    return this.#sync?.state;
  }

  health(): HealthReport {
    const lastError = this.#writer?.lastError;
    // A failing provisioning fetch keeps the last copy working, but a revoked edge is no longer cut off.
    const stale = this.#sync?.failing === true;
    return {
      status: !this.#broker ? 'down' : lastError || stale ? 'degraded' : 'ok',
      component: 'gateway',
      provisioning: this.#sync ? this.#sync.state : { source: 'local' },
      store: this.opts.store.name,
      mqttPort: this.#mqttPort,
      connectedEdges: this.#clients.size,
      pendingReadings: this.pendingReadings,
      lastWriteAt: this.#lastWriteAt,
      ...(lastError ? { lastError: lastError.message } : {}),
    };
  }

  edges(): EdgePresence[] {
    return [...this.#presence.values()].map((p) => ({ ...p }));
  }

  alerts(q: { villageId?: string | undefined; limit?: number | undefined } = {}) {
    return this.#db?.alerts(stripUndefined(q)) ?? [];
  }

  deadLetters(q: { reason?: string | undefined; edgeId?: string | undefined; limit?: number | undefined } = {}) {
    return this.#db?.deadLetters(stripUndefined(q)) ?? [];
  }

  // ---- broker hooks -------------------------------------------------------------------------------------------

  #applyProvisioning(p: GatewayProvisioning): void {
    const edges = new Map<string, EdgeCredential>();
    for (const e of p.edges) edges.set(e.edgeId, e);
    this.#edges = edges;
    for (const e of edges.values()) {
      const pr = this.#presence.get(e.edgeId);
      if (pr) {
        pr.villageId = e.villageId;
        pr.revoked = e.revoked;
      } else
        this.#presence.set(e.edgeId, {
          edgeId: e.edgeId,
          villageId: e.villageId,
          revoked: e.revoked,
          connections: 0,
          lastConnectedAt: null,
          lastDisconnectedAt: null,
          status: null,
          lastBatchAt: null,
          batches: 0,
          readings: 0,
        });
    }
    for (const [id, pr] of this.#presence) if (!edges.has(id) && pr.connections === 0) this.#presence.delete(id);
  }

  #authenticate(client: Client, username: string | undefined, password: Buffer | undefined): boolean {
    const edge = username === undefined ? undefined : this.#edges.get(username);
    const reason = !edge
      ? 'unknown_edge'
      : edge.revoked
        ? 'revoked'
        : !verifySecret(password, edge.secretHash)
          ? 'bad_secret'
          : undefined;
    if (reason || !edge || this.#stopping) {
      this.metrics.connectRefused.inc({ reason: reason ?? 'stopping' });
      this.#log.warn({ username, clientId: client.id, reason }, 'connection refused');
      return false;
    }
    this.#clients.set(client, { edge, ackTail: Promise.resolve() });
    return true;
  }

  #onConnected(client: Client): void {
    const st = this.#clients.get(client);
    if (!st) return;
    const pr = this.#presence.get(st.edge.edgeId);
    const at = this.#now();
    if (pr) {
      pr.connections++;
      pr.lastConnectedAt = at;
    }
    this.#emit('edge-status', { edgeId: st.edge.edgeId, villageId: st.edge.villageId, kind: 'connected', at });
  }

  #onDisconnected(client: Client): void {
    const st = this.#clients.get(client);
    if (!st) return;
    this.#clients.delete(client);
    const pr = this.#presence.get(st.edge.edgeId);
    const at = this.#now();
    if (pr) {
      pr.connections = Math.max(0, pr.connections - 1);
      pr.lastDisconnectedAt = at;
    }
    this.#emit('edge-status', { edgeId: st.edge.edgeId, villageId: st.edge.villageId, kind: 'disconnected', at });
  }

  #authorizeSubscribe(client: Client, sub: Subscription): Subscription | null {
    const st = this.#clients.get(client);
    // Downlink (later) lives under the edge's own subtree; nothing else is readable.
    if (st && sub.topic.startsWith(`lumbung/v1/${st.edge.villageId}/edges/${st.edge.edgeId}/`)) return sub;
    this.metrics.subscribeRefused.inc();
    this.#log.warn({ clientId: client.id, topic: sub.topic }, 'subscription refused');
    return null;
  }

  #authorizeForward(_client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    // Uplink is consumed in process, never forwarded: an edge subscribed to its own `#` must not get its batches back.
    const t = parseTopic(packet.topic);
    if (t?.kind === 'edge' && (t.channel === 'batch' || t.channel === 'alerts' || t.channel === 'devices')) return null;
    return packet;
  }

  #authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void): void {
    const st = client ? this.#clients.get(client) : undefined;
    const parsed = parseTopic(packet.topic);
    const t = parsed?.kind === 'edge' ? parsed : undefined;
    let reason: string | undefined;
    if (!st) reason = 'not_authenticated';
    else if (!t) reason = 'topic';
    else if (t.villageId !== st.edge.villageId) reason = 'other_village';
    else if (t.edgeId !== st.edge.edgeId) reason = 'other_edge';
    if (reason || !st || !t) {
      this.metrics.publishRefused.inc({ reason: reason ?? 'topic' });
      this.#log.warn({ clientId: client?.id, edgeId: st?.edge.edgeId, topic: packet.topic, reason }, 'publish refused');
      done(new RefusedError(reason ?? 'topic'));
      return;
    }
    const payload = toBuffer(packet.payload);
    try {
      switch (t.channel) {
        case 'batch':
          packet.retain = false;
          this.#onBatch(st, packet.topic, payload, done);
          break;
        case 'alerts':
          packet.retain = false;
          this.#onAlerts(st, packet.topic, payload);
          this.#ack(st, undefined, done, undefined, false);
          break;
        case 'devices':
          packet.retain = false;
          this.#onDevicePresence(st, packet.topic, payload);
          this.#ack(st, undefined, done, undefined, false);
          break;
        case 'status':
          this.#onStatus(st, packet.topic, payload);
          done(null);
          return;
      }
    } catch (err) {
      // Our own bug must neither crash the broker nor acknowledge unprocessed data.
      this.#log.error({ err, topic: packet.topic }, 'processing a publish failed');
      done(err as Error);
      return;
    }
    // The payload was consumed above; what the broker forwards or queues for offline sessions is empty.
    packet.payload = EMPTY;
  }

  // ---- uplink ---------------------------------------------------------------------------------------------------

  #onBatch(st: ClientState, topic: string, payload: Buffer, done: (err?: Error | null) => void): void {
    const m = this.metrics;
    const edge = st.edge;
    const receivedAt = this.#now();
    m.batchesReceived.inc();
    if (this.#stopping) {
      done(new Error('gateway stopping'));
      return;
    }
    let checked: ReturnType<typeof checkBatch>;
    try {
      checked = checkBatch(payload, {
        villageId: edge.villageId,
        catalogue: this.opts.catalogue ?? defaultCatalogue,
        now: receivedAt,
      });
    } catch (err) {
      if (!(err instanceof BatchDecodeError)) throw err;
      this.#deadLetterPayload(err.reason, err.message, edge, topic, payload, undefined, 0);
      this.#ack(st, undefined, done);
      return;
    }
    if (checked.edgeId !== edge.edgeId) {
      this.#deadLetterPayload(
        'edge_mismatch',
        `batch says edge ${JSON.stringify(checked.edgeId)}, connection is edge ${edge.edgeId}`,
        edge,
        topic,
        payload,
        checked.batchId,
        checked.total,
      );
      this.#ack(st, undefined, done);
      return;
    }
    const ledgerKey = `${edge.edgeId}\0${checked.batchId}`;
    const inFlight = this.#inFlight.get(ledgerKey);
    if (inFlight) {
      m.batchesDuplicate.inc({ layer: 'in_flight' });
      this.#ack(st, inFlight, done);
      return;
    }
    if (this.#db!.hasBatch(edge.edgeId, checked.batchId)) {
      m.batchesDuplicate.inc({ layer: 'ledger' });
      this.#ack(st, undefined, done);
      return;
    }
    m.readingsReceived.inc(checked.total);
    let deadLettered = 0;
    for (const [reason, r] of checked.rejected) {
      deadLettered += r.count;
      m.readingsDeadLettered.inc({ reason }, r.count);
      this.#deadLetterReadings(reason, r.count, r.sample, edge, topic, checked.batchId, payload.length);
    }
    // Exact duplicates by the store's own key, within the batch and against recently stored readings.
    const window = this.#window!;
    const all = checked.readings;
    const readings: StoredReading[] = [];
    const sids = new Int32Array(all.length);
    const sidOfPair = new Map<number, number>();
    const seen = new Map<number, Set<number>>();
    for (let i = 0; i < all.length; i++) {
      const r = all[i]!;
      const pair = checked.pairs[i]!;
      let sid = sidOfPair.get(pair);
      if (sid === undefined) sidOfPair.set(pair, (sid = window.seriesId(r.villageId, r.deviceId, r.metric)));
      let inBatch = seen.get(sid);
      if (!inBatch) seen.set(sid, (inBatch = new Set()));
      if (inBatch.has(r.ts) || window.has(sid, r.ts)) continue;
      inBatch.add(r.ts);
      sids[readings.length] = sid;
      readings.push(r);
    }
    const duplicates = checked.readings.length - readings.length;
    if (duplicates > 0) m.readingsDuplicate.inc({ layer: 'window' }, duplicates);
    const entry: Entry = {
      edgeId: edge.edgeId,
      villageId: edge.villageId,
      batchId: checked.batchId,
      received: checked.total,
      duplicates,
      deadLettered,
      receivedAt,
      readings,
      sids: sids.subarray(0, readings.length),
    };
    if (readings.length === 0) {
      // Nothing to make durable: record and acknowledge at once.
      this.#db!.recordBatches([{ edgeId: edge.edgeId, batchId: checked.batchId, readings: 0 }], receivedAt);
      this.#stored(entry);
      this.#ack(st, undefined, done, receivedAt);
      return;
    }
    const work = this.#writer!.submit(entry, readings).then(
      () => this.#stored(entry),
      (err: Error) => {
        m.batchesFailed.inc();
        throw err;
      },
    );
    this.#inFlight.set(ledgerKey, work);
    void work.then(
      () => this.#inFlight.delete(ledgerKey),
      () => this.#inFlight.delete(ledgerKey),
    );
    this.#ack(st, work, done, receivedAt);
  }

  /** Runs once per store write, synchronously after it resolved and before any of its batches is acknowledged. */
  #committed(g: WriteGroup<Entry>): void {
    const m = this.metrics;
    this.#lastWriteAt = this.#now();
    m.readingsStored.inc(g.result.written);
    if (g.result.duplicates > 0) m.readingsDuplicate.inc({ layer: 'store' }, g.result.duplicates);
    m.writeDuration.observe(g.durationMs / 1000);
    m.writeSize.observe(g.readings);
    this.#emit('write', {
      batches: g.entries.length,
      readings: g.readings,
      written: g.result.written,
      duplicates: g.result.duplicates,
      durationMs: g.durationMs,
    });
    this.#db?.recordBatches(
      g.entries.map((e) => ({ edgeId: e.edgeId, batchId: e.batchId, readings: e.readings.length })),
      this.#lastWriteAt,
    );
  }

  #stored(e: Entry): void {
    const window = this.#window;
    if (window) for (let i = 0; i < e.readings.length; i++) window.add(e.sids[i]!, e.readings[i]!.ts);
    const pr = this.#presence.get(e.edgeId);
    if (pr) {
      pr.lastBatchAt = e.receivedAt;
      pr.batches++;
      pr.readings += e.readings.length;
    }
    this.#emit('batch-stored', {
      villageId: e.villageId,
      edgeId: e.edgeId,
      batchId: e.batchId,
      received: e.received,
      stored: e.readings.length,
      duplicates: e.duplicates,
      deadLettered: e.deadLettered,
      receivedAt: e.receivedAt,
      readings: e.readings,
    });
  }

  /**
   * Acknowledges after `work` (if any) and after every earlier publish of the same connection, so PUBACKs leave in
   * the order the PUBLISHes came (MQTT 3.1.1 §4.6, [MQTT-4.6.0-2]). A failed `work` errors the callback: aedes then
   * closes the connection without PUBACK and the edge resends.
   */
  #ack(
    st: ClientState,
    work: Promise<void> | undefined,
    done: (err?: Error | null) => void,
    receivedAt?: number,
    /** Alerts and presence keep their place in the PUBACK order but are not batches. */
    isBatch = true,
  ): void {
    const mine = work
      ? work.then(
          () => null,
          (err: Error) => err,
        )
      : Promise.resolve(null);
    const p = st.ackTail
      .then(() => mine)
      .then((err) => {
        if (!err && isBatch) {
          this.metrics.batchesAcked.inc();
          if (receivedAt !== undefined) this.metrics.ackDelay.observe((this.#now() - receivedAt) / 1000);
        }
        done(err);
      });
    st.ackTail = p;
    this.#acks.add(p);
    void p.finally(() => this.#acks.delete(p));
  }

  /** Sets a whole payload (a batch, or an alert batch) aside with its reason. */
  #deadLetterPayload(
    reason: string,
    detail: string,
    edge: EdgeCredential,
    topic: string,
    payload: Buffer,
    batchId: string | undefined,
    count: number,
  ): void {
    this.metrics.batchesDeadLettered.inc({ reason });
    this.#deadLetter({
      reason,
      detail,
      edgeId: edge.edgeId,
      villageId: edge.villageId,
      topic,
      batchId,
      count,
      rawSize: payload.length,
      sample: payload,
    });
  }

  #deadLetterReadings(
    reason: ReadingRejection,
    count: number,
    sample: RejectedReading[],
    edge: EdgeCredential,
    topic: string,
    batchId: string,
    rawSize: number,
  ): void {
    this.#deadLetter({
      reason,
      detail: `${count} reading(s) of batch ${batchId}: ${reason}`,
      edgeId: edge.edgeId,
      villageId: edge.villageId,
      topic,
      batchId,
      count,
      rawSize,
      // JSON has no NaN/Infinity: keep them readable.
      sample: JSON.stringify(sample, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
    });
  }

  #deadLetter(d: DeadLetterInput): void {
    this.#log.warn(
      { reason: d.reason, edgeId: d.edgeId, topic: d.topic, count: d.count, detail: d.detail },
      'dead letter',
    );
    this.#db?.addDeadLetter(d, this.#now());
    this.#emit('dead-letter', {
      reason: d.reason,
      edgeId: d.edgeId,
      villageId: d.villageId,
      topic: d.topic,
      batchId: d.batchId,
      count: d.count,
      detail: d.detail,
    });
  }

  // ---- alerts and status ---------------------------------------------------------------------------------------

  #onAlerts(st: ClientState, topic: string, payload: Buffer): void {
    const edge = st.edge;
    let parsed: ReturnType<typeof AlertBatch.safeParse>;
    try {
      parsed = AlertBatch.safeParse(JSON.parse(payload.toString('utf8')));
    } catch (err) {
      this.#deadLetterPayload(
        'bad_encoding',
        `not JSON: ${(err as Error).message}`,
        edge,
        topic,
        payload,
        undefined,
        0,
      );
      return;
    }
    if (!parsed.success) {
      this.#deadLetterPayload(
        'invalid_alerts',
        parsed.error.issues[0]?.message ?? 'invalid',
        edge,
        topic,
        payload,
        undefined,
        0,
      );
      return;
    }
    const mine: Alert[] = [];
    const foreign: Alert[] = [];
    for (const a of parsed.data.alerts)
      (a.villageId === edge.villageId && (a.edgeId === undefined || a.edgeId === edge.edgeId) ? mine : foreign).push(a);
    if (foreign.length > 0)
      this.#deadLetterPayload(
        'alert_other_village',
        `${foreign.length} alert(s) name another village or edge: ${foreign.map((a) => a.id).join(', ')}`,
        edge,
        topic,
        Buffer.from(JSON.stringify(foreign)),
        undefined,
        foreign.length,
      );
    const fresh = this.#db!.addAlerts(mine, this.#now());
    this.metrics.alertsReceived.inc({ result: 'stored' }, fresh.length);
    if (mine.length > fresh.length)
      this.metrics.alertsReceived.inc({ result: 'duplicate' }, mine.length - fresh.length);
    for (const alert of fresh) this.#emit('alert', { alert, edgeId: edge.edgeId });
  }

  #onDevicePresence(st: ClientState, topic: string, payload: Buffer): void {
    const edge = st.edge;
    let parsed: ReturnType<typeof DevicePresenceBatch.safeParse> | undefined;
    let problem: string | undefined;
    try {
      parsed = DevicePresenceBatch.safeParse(JSON.parse(payload.toString('utf8')));
      if (!parsed.success) problem = parsed.error.issues[0]?.message ?? 'invalid';
    } catch (err) {
      problem = `not JSON: ${(err as Error).message}`;
    }
    if (!parsed?.success) {
      this.#deadLetterPayload('invalid_presence', problem ?? 'invalid', edge, topic, payload, undefined, 0);
      return;
    }
    const devices = parsed.data.devices;
    let online = 0;
    for (const d of devices) if (d.state === 'online') online++;
    if (online > 0) this.metrics.devicePresence.inc({ state: 'online' }, online);
    if (devices.length > online) this.metrics.devicePresence.inc({ state: 'offline' }, devices.length - online);
    // Which devices belong to the edge's village is the registry's knowledge: the cloud checks the ids.
    this.#emit('device-presence', { villageId: edge.villageId, edgeId: edge.edgeId, devices, at: this.#now() });
  }

  #onStatus(st: ClientState, topic: string, payload: Buffer): void {
    const edge = st.edge;
    let status: EdgeStatusPayload | undefined;
    try {
      const r = EdgeStatusPayload.safeParse(JSON.parse(payload.toString('utf8')));
      if (r.success) status = r.data;
    } catch {
      // handled below
    }
    if (!status) {
      // An empty retained payload clears the retained status; anything else unreadable is set aside.
      if (payload.length > 0)
        this.#deadLetterPayload('invalid_status', 'not an edge status', edge, topic, payload, undefined, 0);
      return;
    }
    const at = this.#now();
    const pr = this.#presence.get(edge.edgeId);
    if (pr) pr.status = { ...status, receivedAt: at };
    this.#emit('edge-status', { edgeId: edge.edgeId, villageId: edge.villageId, kind: 'status', status, at });
  }

  #emit<K extends keyof GatewayEvents>(event: K, payload: GatewayEvents[K]): void {
    try {
      this.events.emit(event, payload);
    } catch (err) {
      this.#log.error({ err, event }, 'event listener failed');
    }
  }
}

function toBuffer(p: PublishPacket['payload']): Buffer {
  return Buffer.isBuffer(p) ? p : Buffer.from(p as string);
}

function numberParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

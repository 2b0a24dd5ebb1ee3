import {
  type CloudProvisioningSource,
  type Component,
  cloudProvisioningSync,
  createLogger,
  EventBus,
  type HealthReport,
  type Logger,
  OpsServer,
  type ProvisioningSync,
  type ProvisioningSyncState,
} from '@lumbung/runtime';
import { defaultCatalogue, EdgeProvisioning, MAX_BATCH_READINGS, type MetricCatalogue } from '@lumbung/schemas';
import type Database from 'better-sqlite3';
import { AlertLog } from './alerts.ts';
import { openEdgeDb, type SyncMode } from './db.ts';
import { DuplicateWindow } from './dedup.ts';
import { DeviceBroker } from './devices.ts';
import type { EdgeEvents, UplinkState } from './events.ts';
import { type DevicePresence, emptyPresence, Ingest } from './ingest.ts';
import { createEdgeMetrics, type EdgeMetrics } from './metrics.ts';
import { PresenceForwarder } from './presence.ts';
import { ReadingQueue } from './queue.ts';
import { RuleEngine } from './rules.ts';
import { UPLINK_DEFAULTS, Uplink, type UplinkOptions } from './uplink.ts';

/** Where a box pulls its provisioning from: `GET {url}/api/v1/provisioning/edge`, HTTP Basic edgeId:secret. */
export interface EdgeCloudOptions extends CloudProvisioningSource {
  /** The edge's secret (the same as at the gateway). */
  secret: string;
}

export interface EdgeOptions {
  /** Required with `provisioning`; with `cloud` it may be left out (taken from the cloud's answer) or is checked. */
  villageId?: string;
  edgeId: string;
  /** Devices (hashed secrets) and threshold rules; replace at run time with setProvisioning(). Or `cloud`. */
  provisioning?: EdgeProvisioning;
  /** Pull the provisioning from the cloud registry when started, keep it cached, apply its changes live. */
  cloud?: EdgeCloudOptions;
  /** Holds edge.db (queue, dead letters, alert log). */
  dataDir: string;
  /** Device broker. port 0 = ephemeral (read `edge.mqttPort`). Defaults: 0.0.0.0:1883. */
  mqtt?: { host?: string; port?: number };
  /** /health, /metrics, /devices, /dead-letters, /alerts, /queue. false = no HTTP. Defaults: 127.0.0.1:9464. */
  ops?: { host?: string; port?: number } | false;
  /** The gateway; without it the edge only queues (uplink state `disabled`). */
  uplink?: UplinkOptions;
  /** Disk budget of the reading queue in bytes. Default 1 GiB. */
  queueBudgetBytes?: number;
  /** Rows kept in the dead-letter table. Default 10,000. */
  deadLetterMax?: number;
  /** Rows kept in the alert log once forwarded. Default 10,000. */
  alertLogMax?: number;
  /** SQLite synchronous mode: full (default; survives power loss) or normal (survives process crash). */
  sync?: SyncMode;
  /** Most device messages in one group commit. Default 2000. */
  groupCommitMax?: number;
  /** After a restart, queued messages received within this window seed the duplicate window. Default 15 min. */
  duplicateWindowMs?: number;
  /** Injectable clock (epoch ms) for timestamps; batching timers use real time. */
  clock?: { now(): number };
  catalogue?: MetricCatalogue;
  logger?: Logger;
  /** How long stop() waits for in-flight batches to be acknowledged. Default 1000 ms. */
  stopDrainMs?: number;
  /** Device online/offline changes are gathered this long before they are forwarded. Default 1000 ms. */
  presenceDelayMs?: number;
}

export interface EdgeCounters {
  messagesAccepted: number;
  readingsQueued: number;
  readingsUplinked: number;
  duplicates: number;
  deadLetters: number;
  droppedReadings: number;
  refused: number;
  alerts: number;
  batchesAcked: number;
  queueReadings: number;
  queueBytes: number;
  connectedDevices: number;
  uplink: UplinkState;
}

interface Running {
  db: Database.Database;
  queue: ReadingQueue;
  rules: RuleEngine;
  alerts: AlertLog;
  ingest: Ingest;
  broker: DeviceBroker;
  uplink: Uplink | undefined;
  ops: OpsServer | undefined;
  presence: PresenceForwarder | undefined;
  sync: ProvisioningSync<EdgeProvisioning> | undefined;
}

/**
 * The village box: device broker -> validation -> durable queue -> batched uplink, with local alert rules.
 * See edge/README.md and docs/edge.md.
 */
export class Edge implements Component {
  readonly events = new EventBus<EdgeEvents>();
  readonly metrics: EdgeMetrics;
  #run: Running | undefined;
  #provisioning: EdgeProvisioning | undefined;
  /** The village this box serves: from the options, or learned from the first provisioning. */
  #villageId: string | undefined;
  #stopping: Promise<void> | undefined;
  readonly #now: () => number;
  readonly #log: Logger;
  #counts = {
    accepted: 0,
    queued: 0,
    uplinked: 0,
    duplicates: 0,
    dead: 0,
    dropped: 0,
    refused: 0,
    alerts: 0,
    acked: 0,
  };
  readonly #unsubscribe: (() => void)[] = [];

  constructor(private readonly opts: EdgeOptions) {
    this.#provisioning = opts.provisioning;
    this.#villageId = opts.villageId;
    const clock = opts.clock;
    this.#now = clock ? () => clock.now() : Date.now;
    this.#log = opts.logger ?? createLogger('edge');
    this.metrics = createEdgeMetrics({
      queue: () => {
        const q = this.#run?.queue;
        return q
          ? {
              rows: q.rows,
              readings: q.readings,
              bytes: q.bytes,
              unassigned: q.unassignedReadings,
              openBatches: q.openBatches().length,
            }
          : { rows: 0, readings: 0, bytes: 0, unassigned: 0, openBatches: 0 };
      },
      budgetBytes: () => this.#budget,
      uplinkConnected: () => (this.#run?.uplink?.state === 'online' ? 1 : 0),
      devicesConnected: () => this.#run?.broker.connectedDevices ?? 0,
      deadLetterRows: () => this.#run?.ingest.deadLetterRows ?? 0,
    });
  }

  get #budget(): number {
    return this.opts.queueBudgetBytes ?? 1024 ** 3;
  }

  /** The bound port of the device broker (after start()). */
  get mqttPort(): number {
    return this.#run?.broker.port ?? 0;
  }

  /** The bound port of the ops HTTP server (after start(); 0 if disabled). */
  get opsPort(): number {
    return this.#run?.ops?.port ?? 0;
  }

  get uplinkState(): UplinkState {
    if (!this.#run) return 'stopped';
    return this.#run.uplink?.state ?? 'disabled';
  }

  /** The provisioning in use; with `cloud`, undefined until start() fetched it. */
  get provisioning(): EdgeProvisioning | undefined {
    return this.#provisioning;
  }

  /** The village served (with `cloud` and no `villageId` option: known after start()). */
  get villageId(): string | undefined {
    return this.#villageId;
  }

  /** Live counts since start (the same numbers as /metrics, for the CLI). */
  get counters(): EdgeCounters {
    const q = this.#run?.queue;
    return {
      messagesAccepted: this.#counts.accepted,
      readingsQueued: this.#counts.queued,
      readingsUplinked: this.#counts.uplinked,
      duplicates: this.#counts.duplicates,
      deadLetters: this.#counts.dead,
      droppedReadings: this.#counts.dropped,
      refused: this.#counts.refused,
      alerts: this.#counts.alerts,
      batchesAcked: this.#counts.acked,
      queueReadings: q?.readings ?? 0,
      queueBytes: q?.bytes ?? 0,
      connectedDevices: this.#run?.broker.connectedDevices ?? 0,
      uplink: this.uplinkState,
    };
  }

  #checkProvisioning(p: unknown): EdgeProvisioning {
    const parsed = EdgeProvisioning.parse(p);
    // The queue, the rules' state and the uplink topics are bound to one village: a box never moves while running.
    const village = this.#villageId ?? parsed.villageId;
    if (parsed.villageId !== village || parsed.edgeId !== this.opts.edgeId) {
      throw new Error(
        `provisioning is for ${parsed.villageId}/${parsed.edgeId}, this edge is ${village}/${this.opts.edgeId}`,
      );
    }
    const foreign = parsed.devices.find((d) => d.villageId !== parsed.villageId);
    if (foreign)
      throw new Error(`device ${foreign.deviceId} belongs to village ${foreign.villageId}, not ${parsed.villageId}`);
    return parsed;
  }

  async start(): Promise<void> {
    if (this.#run) throw new Error('edge already started');
    const o = this.opts;
    let sync: ProvisioningSync<EdgeProvisioning> | undefined;
    if (o.cloud) {
      sync = this.#cloudSync(o.cloud);
      this.#provisioning = await sync.start();
    } else if (this.#provisioning) {
      this.#provisioning = this.#checkProvisioning(this.#provisioning);
    } else throw new Error('EdgeOptions: give the provisioning, or the cloud to fetch it from');
    const prov = this.#provisioning;
    const villageId = prov.villageId;
    this.#villageId = villageId;
    const batchMax = Math.min(
      MAX_BATCH_READINGS,
      Math.max(100, o.uplink?.batchMaxReadings ?? UPLINK_DEFAULTS.batchMaxReadings),
    );
    let opened: ReturnType<typeof openEdgeDb>;
    try {
      opened = openEdgeDb(o.dataDir, o.sync ?? 'full');
    } catch (err) {
      await sync?.stop();
      throw err;
    }
    const { db, epoch } = opened;
    const started: { close(): Promise<void> | void }[] = [{ close: () => void db.close() }];
    if (sync) started.unshift({ close: () => sync.stop() });
    try {
      const queue = new ReadingQueue(db, epoch, batchMax);
      queue.load();
      const rules = new RuleEngine(db, villageId, o.edgeId);
      rules.load();
      rules.setRules(prov.rules);
      const alerts = new AlertLog(db, o.alertLogMax ?? 10_000);
      // Rebuild the duplicate window from what is still queued (rows already uplinked are de-duplicated by the store).
      const dedup = new DuplicateWindow();
      for (const r of queue.recent(this.#now() - (o.duplicateWindowMs ?? 15 * 60_000), 100_000).reverse()) {
        dedup.remember(r.device, r.seq, r.src === 0 ? r.ts : undefined, r.body);
      }
      let uplink: Uplink | undefined;
      const ingest = new Ingest({
        db,
        queue,
        rules,
        alerts,
        dedup,
        metrics: this.metrics,
        events: this.events,
        logger: this.#log,
        catalogue: o.catalogue ?? defaultCatalogue,
        now: this.#now,
        villageId,
        edgeId: o.edgeId,
        deadLetterMax: o.deadLetterMax ?? 10_000,
        budgetBytes: this.#budget,
        groupMax: o.groupCommitMax ?? 2000,
        onCommitted: ({ messages, alerts: n }) => {
          if (messages > 0) uplink?.notify();
          if (n > 0) uplink?.forwardAlerts();
        },
      });
      const broker = new DeviceBroker({
        host: o.mqtt?.host ?? '0.0.0.0',
        port: o.mqtt?.port ?? 1883,
        ingest,
        metrics: this.metrics,
        events: this.events,
        logger: this.#log,
      });
      broker.setCredentials(prov.devices);
      this.#countEvents();
      await broker.start();
      started.unshift(broker);
      let ops: OpsServer | undefined;
      const run: Running = {
        db,
        queue,
        rules,
        alerts,
        ingest,
        broker,
        uplink: undefined,
        ops: undefined,
        presence: undefined,
        sync,
      };
      if (o.ops !== false) {
        ops = new OpsServer({
          host: o.ops?.host ?? '127.0.0.1',
          port: o.ops?.port ?? 9464,
          registry: this.metrics.registry,
          health: () => this.health(),
          routes: {
            '/devices': () => this.devices(),
            '/dead-letters': (url) =>
              ingest.listDeadLetters(
                Number(url.searchParams.get('limit') ?? 100) || 100,
                url.searchParams.get('reason') ?? undefined,
              ),
            '/alerts': (url) => alerts.recent(Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 1000)),
            '/queue': () => this.queueStats(),
          },
        });
        await ops.start();
        started.unshift({ close: () => ops?.stop() });
        run.ops = ops;
      }
      if (o.uplink?.url) {
        uplink = new Uplink(
          { ...o.uplink, batchMaxReadings: batchMax },
          {
            villageId,
            edgeId: o.edgeId,
            queue,
            alerts,
            metrics: this.metrics,
            events: this.events,
            logger: this.#log,
            now: this.#now,
          },
        );
        run.uplink = uplink;
        const link = uplink;
        // Before the uplink connects: its first 'online' sends the snapshot.
        run.presence = new PresenceForwarder({
          events: this.events,
          presence: ingest.presence,
          devices: () => this.#provisioning?.devices ?? [],
          send: (body) => link.publishPresence(body),
          now: this.#now,
          delayMs: o.presenceDelayMs ?? 1000,
          logger: this.#log,
        });
        run.presence.start();
        started.unshift({ close: () => run.presence?.stop() });
        uplink.start();
      }
      this.#run = run;
      // A change the cloud served while the box was starting is applied now that there is a broker to apply it to.
      if (this.#provisioning !== prov) this.setProvisioning(this.#provisioning);
      this.#log.info(
        {
          mqttPort: broker.port,
          opsPort: ops?.port,
          queueReadings: queue.readings,
          uplink: o.uplink?.url ?? 'disabled',
          provisioning: sync ? sync.state.source : 'local',
        },
        'edge started',
      );
    } catch (err) {
      for (const s of started) await s.close();
      for (const u of this.#unsubscribe.splice(0)) u();
      throw err;
    }
  }

  #cloudSync(c: EdgeCloudOptions): ProvisioningSync<EdgeProvisioning> {
    return cloudProvisioningSync<EdgeProvisioning>(c, {
      route: 'edge',
      authorization: `Basic ${Buffer.from(`${this.opts.edgeId}:${c.secret}`).toString('base64')}`,
      dataDir: this.opts.dataDir,
      parse: (json) => this.#checkProvisioning(json),
      logger: this.#log,
      now: this.#now,
      onChange: (p) => {
        if (this.#run) this.setProvisioning(p);
        else this.#provisioning = p;
      },
      onResult: (result) => this.metrics.provisioningFetches.inc({ result }),
    });
  }

  #countEvents() {
    const c = this.#counts;
    const e = this.events;
    this.#unsubscribe.push(
      e.on('reading-accepted', (a) => {
        c.accepted++;
        c.queued += a.readings;
      }),
      e.on('duplicate', () => c.duplicates++),
      e.on('dead-letter', () => c.dead++),
      e.on('readings-dropped', (d) => (c.dropped += d.readings)),
      e.on('publish-refused', () => c.refused++),
      e.on('alert', () => c.alerts++),
      e.on('batch-acked', (b) => {
        c.acked++;
        c.uplinked += b.readings;
      }),
    );
  }

  /** Replaces devices and rules at run time; connected devices that were removed, revoked or re-keyed are disconnected. */
  setProvisioning(p: EdgeProvisioning): { disconnected: string[] } {
    const parsed = this.#checkProvisioning(p);
    this.#provisioning = parsed;
    const run = this.#run;
    if (!run) return { disconnected: [] };
    run.rules.setRules(parsed.rules);
    const disconnected = run.broker.setCredentials(parsed.devices);
    const known = new Set(parsed.devices.map((d) => d.deviceId));
    for (const id of run.ingest.presence.keys()) if (!known.has(id)) run.ingest.presence.delete(id);
    this.#log.info(
      { devices: parsed.devices.length, rules: parsed.rules.length, disconnected },
      'provisioning replaced',
    );
    return { disconnected };
  }

  /** Where the provisioning comes from and how its last fetch went (undefined without `cloud`). */
  get provisioningSync(): ProvisioningSyncState | undefined {
    return this.#run?.sync?.state;
  }

  health(): HealthReport {
    const run = this.#run;
    if (!run) return { status: 'down', reason: 'not started' };
    const uplink = this.uplinkState;
    const q = run.queue;
    const nearlyFull = q.bytes > this.#budget * 0.8;
    // A failing provisioning fetch leaves the box working on its last copy, but revocations no longer reach it.
    const stale = run.sync?.failing === true;
    const status =
      (uplink === 'online' || uplink === 'disabled') && !nearlyFull && !stale ? 'ok' : ('degraded' as const);
    return {
      status,
      villageId: this.#villageId,
      edgeId: this.opts.edgeId,
      uplink,
      provisioning: run.sync ? run.sync.state : { source: 'local' },
      devicesConnected: run.broker.connectedDevices,
      devicesProvisioned: this.#provisioning?.devices.length ?? 0,
      queue: this.queueStats(),
      deadLetters: run.ingest.deadLetterRows,
      alertsPending: run.alerts.pending,
    };
  }

  queueStats() {
    const q = this.#run?.queue;
    return {
      rows: q?.rows ?? 0,
      readings: q?.readings ?? 0,
      unassignedReadings: q?.unassignedReadings ?? 0,
      openBatches: q?.openBatches().length ?? 0,
      bytes: q?.bytes ?? 0,
      budgetBytes: this.#budget,
    };
  }

  /** Presence of every provisioned device: connected, last reported status, last seen, battery, rssi. */
  devices(): DevicePresence[] {
    const run = this.#run;
    return (this.#provisioning?.devices ?? []).map(
      (d) => run?.ingest.presence.get(d.deviceId) ?? emptyPresence(d.deviceId, d.siteId),
    );
  }

  listDeadLetters(limit = 100, reason?: string) {
    return this.#run?.ingest.listDeadLetters(limit, reason) ?? [];
  }

  recentAlerts(limit = 100) {
    return this.#run?.alerts.recent(limit) ?? [];
  }

  /** Stops accepting, commits everything pending, drains in-flight batches briefly, closes broker, uplink, HTTP and SQLite. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    await run.sync?.stop();
    await run.broker.stopListening();
    run.ingest.flush();
    await run.broker.close();
    run.ingest.close();
    // The devices the box just disconnected are reported offline while the uplink is still there.
    run.presence?.flush();
    run.presence?.stop();
    await run.uplink?.stop(this.opts.stopDrainMs ?? 1000);
    await run.ops?.stop();
    run.db.close();
    this.#run = undefined;
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#log.info('edge stopped');
  }
}

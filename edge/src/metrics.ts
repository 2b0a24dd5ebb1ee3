import { Counter, Gauge, Histogram, Registry } from '@lumbung/runtime';

/** The village box's Prometheus metrics, in its own Registry (docs/edge.md lists them for operators). */
export function createEdgeMetrics(read: {
  queue: () => { rows: number; readings: number; bytes: number; unassigned: number; openBatches: number };
  budgetBytes: () => number;
  uplinkConnected: () => number;
  devicesConnected: () => number;
  deadLetterRows: () => number;
}) {
  const registry = new Registry();
  const p = 'lumbung_edge_';
  const r = [registry];
  return {
    registry,
    messagesIn: new Counter({
      name: `${p}messages_in_total`,
      help: 'Device messages received on up/status, by result (accepted, partial, rejected, duplicate, refused, status)',
      labelNames: ['result'] as const,
      registers: r,
    }),
    readingsQueued: new Counter({
      name: `${p}readings_queued_total`,
      help: 'Readings written to the durable queue',
      registers: r,
    }),
    readingsUplinked: new Counter({
      name: `${p}readings_uplinked_total`,
      help: 'Readings acknowledged by the gateway and removed from the queue',
      registers: r,
    }),
    batchesSent: new Counter({
      name: `${p}batches_sent_total`,
      help: 'Uplink batches published (kind=new|resend)',
      labelNames: ['kind'] as const,
      registers: r,
    }),
    batchesAcked: new Counter({
      name: `${p}batches_acked_total`,
      help: 'Uplink batches acknowledged by the gateway',
      registers: r,
    }),
    batchAckSeconds: new Histogram({
      name: `${p}batch_ack_seconds`,
      help: 'Time from publishing a batch to the gateway PUBACK',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: r,
    }),
    commitSeconds: new Histogram({
      name: `${p}commit_seconds`,
      help: 'Duration of one group commit (SQLite transaction of device messages)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: r,
    }),
    deadLetters: new Counter({
      name: `${p}dead_letters_total`,
      help: 'Inputs set aside, by reason (one per message and reason)',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    rejectedReadings: new Counter({
      name: `${p}rejected_readings_total`,
      help: 'Single readings rejected while the rest of their message was kept, by reason',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    duplicates: new Counter({
      name: `${p}duplicates_total`,
      help: 'Device retries recognised and not stored twice',
      registers: r,
    }),
    droppedReadings: new Counter({
      name: `${p}dropped_readings_total`,
      help: 'Oldest readings dropped because the queue reached its disk budget',
      registers: r,
    }),
    refused: new Counter({
      name: `${p}publish_refused_total`,
      help: 'Publishes refused by the ACL (the device is disconnected), by reason',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    authFailures: new Counter({
      name: `${p}auth_failures_total`,
      help: 'Device connections refused, by reason',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    alertsRaised: new Counter({
      name: `${p}alerts_total`,
      help: 'Alerts logged, by source (rule, system) and state (raised, cleared)',
      labelNames: ['source', 'state'] as const,
      registers: r,
    }),
    alertsForwarded: new Counter({
      name: `${p}alerts_forwarded_total`,
      help: 'Alerts acknowledged by the gateway',
      registers: r,
    }),
    presenceForwarded: new Counter({
      name: `${p}presence_forwarded_total`,
      help: 'Device online/offline states acknowledged by the gateway (changes and snapshots)',
      registers: r,
    }),
    provisioningFetches: new Counter({
      name: `${p}provisioning_fetches_total`,
      help: 'Provisioning requests to the cloud, by result (changed, unchanged, unauthorized, forbidden, invalid, unreachable, http_error)',
      labelNames: ['result'] as const,
      registers: r,
    }),
    uplinkReconnects: new Counter({
      name: `${p}uplink_reconnects_total`,
      help: 'Uplink connection attempts after a loss',
      registers: r,
    }),
    queueRows: new Gauge({
      name: `${p}queue_rows`,
      help: 'Messages in the durable queue',
      registers: r,
      collect() {
        this.set(read.queue().rows);
      },
    }),
    queueReadings: new Gauge({
      name: `${p}queue_readings`,
      help: 'Readings in the durable queue (state=unassigned|in_batch)',
      labelNames: ['state'] as const,
      registers: r,
      collect() {
        const q = read.queue();
        this.set({ state: 'unassigned' }, q.unassigned);
        this.set({ state: 'in_batch' }, q.readings - q.unassigned);
      },
    }),
    queueBytes: new Gauge({
      name: `${p}queue_bytes`,
      help: 'Estimated bytes of the durable queue (counted against the disk budget)',
      registers: r,
      collect() {
        this.set(read.queue().bytes);
      },
    }),
    queueBudget: new Gauge({
      name: `${p}queue_budget_bytes`,
      help: 'Disk budget of the durable queue',
      registers: r,
      collect() {
        this.set(read.budgetBytes());
      },
    }),
    inflightBatches: new Gauge({
      name: `${p}batches_open`,
      help: 'Batches assigned and not yet acknowledged',
      registers: r,
      collect() {
        this.set(read.queue().openBatches);
      },
    }),
    uplinkConnected: new Gauge({
      name: `${p}uplink_connected`,
      help: '1 when the uplink to the gateway is connected',
      registers: r,
      collect() {
        this.set(read.uplinkConnected());
      },
    }),
    devicesConnected: new Gauge({
      name: `${p}devices_connected`,
      help: 'Devices connected to the village broker',
      registers: r,
      collect() {
        this.set(read.devicesConnected());
      },
    }),
    deadLetterRows: new Gauge({
      name: `${p}dead_letter_rows`,
      help: 'Rows kept in the bounded dead-letter table',
      registers: r,
      collect() {
        this.set(read.deadLetterRows());
      },
    }),
  };
}
export type EdgeMetrics = ReturnType<typeof createEdgeMetrics>;

import { Counter, Gauge, Histogram, Registry } from '@lumbung/runtime';

/** The gateway's Prometheus metrics, in its own Registry (docs/gateway.md lists them). */
export class GatewayMetrics {
  readonly registry = new Registry();

  constructor(private readonly probe: { pendingReadings(): number; connectedEdges(): number }) {}

  readonly batchesReceived = new Counter({
    name: 'lumbung_gateway_batches_received_total',
    help: 'Uplink batches received from village boxes',
    registers: [this.registry],
  });
  readonly batchesAcked = new Counter({
    name: 'lumbung_gateway_batches_acked_total',
    help: 'Uplink batches acknowledged (PUBACK sent) after their readings were durable',
    registers: [this.registry],
  });
  readonly batchesDuplicate = new Counter({
    name: 'lumbung_gateway_batches_duplicate_total',
    help: 'Re-sent batches recognised by batch id (ledger: acknowledged before; in_flight: still being written)',
    labelNames: ['layer'] as const,
    registers: [this.registry],
  });
  readonly batchesDeadLettered = new Counter({
    name: 'lumbung_gateway_batches_dead_lettered_total',
    help: 'Batches set aside whole (and acknowledged so the edge does not resend them), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly batchesFailed = new Counter({
    name: 'lumbung_gateway_batches_failed_total',
    help: 'Batches not acknowledged because the store write failed after all retries (the edge resends them)',
    registers: [this.registry],
  });
  readonly readingsReceived = new Counter({
    name: 'lumbung_gateway_readings_received_total',
    help: 'Readings in decodable batches',
    registers: [this.registry],
  });
  readonly readingsStored = new Counter({
    name: 'lumbung_gateway_readings_stored_total',
    help: 'Readings newly written to the time-series store',
    registers: [this.registry],
  });
  readonly readingsDuplicate = new Counter({
    name: 'lumbung_gateway_readings_duplicate_total',
    help: 'Readings dropped as duplicates of (village, device, metric, ts), by layer (window, store)',
    labelNames: ['layer'] as const,
    registers: [this.registry],
  });
  readonly readingsDeadLettered = new Counter({
    name: 'lumbung_gateway_readings_dead_lettered_total',
    help: 'Readings set aside, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly writeDuration = new Histogram({
    name: 'lumbung_gateway_write_duration_seconds',
    help: 'Duration of one store write (group commit)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly writeSize = new Histogram({
    name: 'lumbung_gateway_write_readings',
    help: 'Readings per store write',
    buckets: [10, 100, 1000, 5000, 10_000, 20_000, 50_000, 100_000],
    registers: [this.registry],
  });
  readonly ackDelay = new Histogram({
    name: 'lumbung_gateway_ack_delay_seconds',
    help: 'Time from receiving a batch to acknowledging it',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly pendingReadings: Gauge = new Gauge({
    name: 'lumbung_gateway_pending_readings',
    help: 'Readings waiting for (or in) a store write',
    registers: [this.registry],
    collect: (): void => this.pendingReadings.set(this.probe.pendingReadings()),
  });
  readonly connectedEdges: Gauge = new Gauge({
    name: 'lumbung_gateway_connected_edges',
    help: 'Village boxes connected',
    registers: [this.registry],
    collect: (): void => this.connectedEdges.set(this.probe.connectedEdges()),
  });
  readonly storeErrors = new Counter({
    name: 'lumbung_gateway_store_errors_total',
    help: 'Failed store write attempts',
    registers: [this.registry],
  });
  readonly connectRefused = new Counter({
    name: 'lumbung_gateway_connect_refused_total',
    help: 'Connections refused, by reason (unknown_edge, revoked, bad_secret)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly publishRefused = new Counter({
    name: 'lumbung_gateway_publish_refused_total',
    help: 'Publishes refused by the topic ACL (the broker disconnects the edge), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly subscribeRefused = new Counter({
    name: 'lumbung_gateway_subscribe_refused_total',
    help: 'Subscriptions refused by the topic ACL',
    registers: [this.registry],
  });
  readonly devicePresence = new Counter({
    name: 'lumbung_gateway_device_presence_total',
    help: 'Device online/offline states received from village boxes (changes and snapshots), by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly provisioningFetches = new Counter({
    name: 'lumbung_gateway_provisioning_fetches_total',
    help: 'Provisioning requests to the cloud, by result (changed, unchanged, unauthorized, forbidden, invalid, unreachable, http_error)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly alertsReceived = new Counter({
    name: 'lumbung_gateway_alerts_received_total',
    help: 'Alerts received from village boxes, by result (stored, duplicate)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
}

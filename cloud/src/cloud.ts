import type { Component, Logger } from '@lumbung/runtime';
import { defaultCatalogue, type MetricCatalogue } from '@lumbung/schemas';
import type { TimeSeriesStore } from '@lumbung/store';
import { AgroAlertJob, systemClock } from './agro/notify.ts';
import { AgroService } from './agro/service.ts';
import { type App, buildApp } from './app.ts';
import { type AuthPolicy, AuthService, OutboxNotifier } from './auth/service.ts';
import { CsrReportSchedule } from './eco/schedule.ts';
import { EcoService } from './eco/service.ts';
import { IngestBridge, type Subscribe } from './ingest.ts';
import { LiveHub } from './live.ts';
import type { Registry } from './registry/port.ts';
import { Telemetry } from './telemetry.ts';

export interface CloudOptions {
  host: string;
  port: number;
  registry: Registry;
  /** A started store (the caller owns it: in the demo the gateway writes to the same one). */
  store: TimeSeriesStore;
  version: string;
  logger: Logger;
  dashboardDir?: string | undefined;
  gatewayTokenHash?: string | undefined;
  catalogue?: MetricCatalogue;
  /** Key for signing access tokens (≥ 32 bytes); without it sign-in is off (no /auth routes). */
  authKey?: Buffer | undefined;
  authPolicy?: Partial<AuthPolicy>;
  /** Origins allowed to call the API from a browser (LUMBUNG_CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** The platform's public base URL for Digital Links, QR codes and EPCIS (LUMBUNG_PUBLIC_URL). */
  publicUrl?: string | undefined;
  /** Events of a gateway in the same process: stored readings, alerts, presence. */
  subscribe?: Subscribe;
  /** The clock of scheduled work (the monthly CSR reports, the daily farmer alerts); tests fake it. */
  now?: () => number;
}

/**
 * The cloud as one component: registry (migrated on start), telemetry reads, live hub, the HTTP app
 * listening, and the bridge from an in-process gateway. Stops in reverse.
 */
export class Cloud implements Component {
  #app: App | undefined;
  #port = 0;
  readonly live = new LiveHub();
  readonly telemetry: Telemetry;
  readonly bridge: IngestBridge | undefined;
  #auth: AuthService | undefined;
  #csrSchedule: CsrReportSchedule | undefined;
  #agroAlerts: AgroAlertJob | undefined;

  constructor(private readonly opts: CloudOptions) {
    const catalogue = opts.catalogue ?? defaultCatalogue;
    this.telemetry = new Telemetry(opts.registry, opts.store, catalogue);
    this.bridge = opts.subscribe
      ? new IngestBridge({
          subscribe: opts.subscribe,
          registry: opts.registry,
          telemetry: this.telemetry,
          live: this.live,
          logger: opts.logger,
        })
      : undefined;
  }

  get port(): number {
    return this.#port;
  }

  get app(): App | undefined {
    return this.#app;
  }

  /** Sign-in and tokens, once started (undefined without `authKey`). */
  get auth(): AuthService | undefined {
    return this.#auth;
  }

  async start(): Promise<void> {
    const o = this.opts;
    await o.registry.start();
    await this.live.start();
    await this.bridge?.start();
    if (o.authKey) {
      const accounts = o.registry.accounts;
      this.#auth = new AuthService({
        accounts,
        key: o.authKey,
        notifier: new OutboxNotifier(accounts, o.logger),
        logger: o.logger,
        policy: o.authPolicy,
      });
    }
    this.#app = await buildApp({
      auth: this.#auth,
      corsOrigins: o.corsOrigins,
      publicUrl: o.publicUrl,
      registry: o.registry,
      store: o.store,
      telemetry: this.telemetry,
      live: this.live,
      catalogue: o.catalogue ?? defaultCatalogue,
      version: o.version,
      dashboardDir: o.dashboardDir,
      gatewayTokenHash: o.gatewayTokenHash,
      logger: o.logger,
    });
    await this.#app.listen({ host: o.host, port: o.port });
    const addr = this.#app.server.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : o.port;
    const eco = new EcoService({ registry: o.registry, store: o.store, now: o.now });
    this.#csrSchedule = new CsrReportSchedule({ registry: o.registry, service: eco, now: o.now, logger: o.logger });
    await this.#csrSchedule.start();
    const now = o.now ?? Date.now;
    const agro = new AgroService({ registry: o.registry, store: o.store, now });
    const notifier = new OutboxNotifier(o.registry.accounts, o.logger, now);
    const clock = { ...systemClock, now };
    this.#agroAlerts = new AgroAlertJob({ registry: o.registry, agro, notifier, logger: o.logger, clock });
    await this.#agroAlerts.start();
  }

  async stop(): Promise<void> {
    await this.#agroAlerts?.stop();
    this.#agroAlerts = undefined;
    await this.#csrSchedule?.stop();
    this.#csrSchedule = undefined;
    // Live streams never end by themselves: close them so `close()` does not wait for them.
    await this.live.stop();
    this.#app?.server.closeAllConnections();
    await this.#app?.close();
    this.#app = undefined;
    await this.bridge?.stop();
    await this.opts.registry.stop();
  }
}

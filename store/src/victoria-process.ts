import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { freePort } from '@lumbung/runtime';

export const VICTORIA_METRICS_BIN = '/usr/bin/victoria-metrics';

export interface VictoriaMetricsProcessOptions {
  /** Where VictoriaMetrics keeps its data (-storageDataPath); created if missing. */
  dataDir: string;
  /** Listen port on 127.0.0.1 (default: a free ephemeral port). */
  port?: number;
  /** The binary (default /usr/bin/victoria-metrics, from `apt-get install -y victoria-metrics`). */
  bin?: string;
  /**
   * -retentionPeriod (default '100y'). VictoriaMetrics silently drops samples older than the retention
   * period at ingestion, so a backlog or test data from years ago needs a long one.
   */
  retentionPeriod?: string;
  /**
   * -search.latencyOffset (default '1ms'). VictoriaMetrics hides the newest samples from query_range for
   * this long (30 s by default) because they may be incomplete; our adapter forces a flush after each write,
   * so what it wrote is complete.
   */
  latencyOffset?: string;
  /** Extra command-line flags. */
  extraArgs?: string[];
  /** How long to wait for /health (default 15 s). */
  startTimeoutMs?: number;
}

/**
 * A VictoriaMetrics single-node server as a child process: start() spawns it on a free port and waits for
 * /health; stop() terminates it (SIGTERM, then SIGKILL after 10 s). For tests, the benchmark and the
 * one-machine server mode.
 */
export class VictoriaMetricsProcess {
  #child: ChildProcess | undefined;
  #port = 0;
  #output = '';

  constructor(private readonly opts: VictoriaMetricsProcessOptions) {}

  get port(): number {
    return this.#port;
  }

  /** Process id of the running server (tests use it to kill -9 it). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The last few KB the server printed (for error messages). */
  get output(): string {
    return this.#output;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    const bin = this.opts.bin ?? VICTORIA_METRICS_BIN;
    if (!existsSync(bin)) {
      throw new Error(`${bin} not found: install it with \`apt-get install -y victoria-metrics\``);
    }
    mkdirSync(this.opts.dataDir, { recursive: true });
    this.#port = this.opts.port ?? (await freePort());
    const args = [
      `-storageDataPath=${this.opts.dataDir}`,
      `-httpListenAddr=127.0.0.1:${this.#port}`,
      `-retentionPeriod=${this.opts.retentionPeriod ?? '100y'}`,
      // Samples of one series with the same millisecond collapse into one (see the adapter for which one).
      '-dedup.minScrapeInterval=1ms',
      `-search.latencyOffset=${this.opts.latencyOffset ?? '1ms'}`,
      // Backfilled data (an edge draining days of backlog) must show up in queries: no response cache.
      '-search.disableCache',
      '-loggerLevel=ERROR',
      ...(this.opts.extraArgs ?? []),
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const keep = (b: Buffer) => {
      this.#output = (this.#output + b.toString('utf8')).slice(-8192);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`victoria-metrics exited (${code ?? signal}) while starting: ${this.#output}`)),
      );
      child.once('error', reject);
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 15_000);
    try {
      for (;;) {
        const ok = await Promise.race([
          fetch(`${this.url}/health`).then(
            (r) => r.ok,
            () => false,
          ),
          exited,
        ]);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`victoria-metrics did not become healthy: ${this.#output}`);
        await Promise.race([new Promise((r) => setTimeout(r, 50)), exited]);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  }
}

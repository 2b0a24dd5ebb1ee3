import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { LumbungProcess as CliProcess, stopChild } from '@lumbung/cli';
import { Gateway } from '@lumbung/gateway';
import { hashSecret, type Logger, waitFor } from '@lumbung/runtime';
import type { TimeSeriesStore } from '@lumbung/store';
import pino from 'pino';

/** Progress goes to stderr; stdout carries only the JSON summary. */
export const say = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/** Logs of components running inside the bench process, to stderr (warnings and errors only). */
export const benchLogger = (component: string): Logger =>
  pino({ name: component, level: process.env.LUMBUNG_LOG_LEVEL ?? 'warn', base: { component } }, pino.destination(2));

export { waitFor };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Percentiles of an unsorted sample (nearest rank). */
export function percentiles(
  values: ArrayLike<number>,
  qs = [0.5, 0.95, 0.99],
): Record<string, number> & { max: number } {
  const s = Float64Array.from(values).sort();
  const at = (q: number) =>
    s.length === 0 ? Number.NaN : (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0);
  const out: Record<string, number> = {};
  for (const q of qs) out[`p${Math.round(q * 1000) / 10}`] = round(at(q), 1);
  return { ...out, max: round(s.length ? (s[s.length - 1] ?? 0) : Number.NaN, 1) };
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Everything a section opened; `close()` releases it in reverse order, also after an error. */
export class Resources {
  readonly #closers: { what: string; close: () => Promise<unknown> | unknown }[] = [];

  add(what: string, close: () => Promise<unknown> | unknown): void {
    this.#closers.push({ what, close });
  }

  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `lumbung-bench-${prefix}-`));
    this.add(`rm ${dir}`, () => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async close(): Promise<void> {
    for (const c of this.#closers.splice(0).reverse()) {
      try {
        await c.close();
      } catch (err) {
        say(`cleanup (${c.what}) failed: ${(err as Error).message}`);
      }
    }
  }
}

/** Every child process the bench started, so an interrupted run still kills them all (by pid). */
export const children = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export { stopChild };

/** A real `lumbung edge|gateway` process, started through the launcher (cli/bin/lumbung) as an operator would. */
export class LumbungProcess extends CliProcess {
  constructor(command: 'edge' | 'gateway', env: Record<string, string>, healthUrl: string, nodeOptions: string[] = []) {
    super(command, env, healthUrl, nodeOptions, track);
  }
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat (clock ticks of 1/100 s). */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; utime is field 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU use of processes over an interval, as a share of one core. */
export function cpuMeter(pids: Record<string, number>) {
  const t0 = performance.now();
  const c0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, procCpuSeconds(pid)]));
  return () => {
    const s = (performance.now() - t0) / 1000;
    return Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [k, round((procCpuSeconds(pid) - (c0[k] ?? 0)) / s, 2)]),
    ) as Record<string, number>;
  };
}

export interface ProcMemory {
  rssMb: number;
  hwmMb: number;
}

/** VmRSS and VmHWM (peak RSS) of a process, from /proc/PID/status. */
export function procMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rssMb: round(kb('VmRSS') / 1024), hwmMb: round(kb('VmHWM') / 1024) };
}

/** Samples a process's memory every `everyMs` until stopped. */
export class RssSampler {
  readonly samples: { t: number; rssMb: number }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #hwm = 0;

  constructor(
    readonly pid: number,
    readonly everyMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.everyMs);
  }

  sample(): ProcMemory | undefined {
    const m = procMemory(this.pid);
    if (m) {
      this.samples.push({ t: Date.now(), rssMb: m.rssMb });
      this.#hwm = Math.max(this.#hwm, m.hwmMb);
    }
    return m;
  }

  stop(): { samples: number; rssMaxMb: number; rssMeanMb: number; rssLastMb: number; vmHwmMb: number } {
    clearInterval(this.#timer);
    this.sample();
    const rss = this.samples.map((s) => s.rssMb);
    return {
      samples: rss.length,
      rssMaxMb: round(Math.max(...rss)),
      rssMeanMb: round(rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length)),
      rssLastMb: rss[rss.length - 1] ?? Number.NaN,
      vmHwmMb: this.#hwm,
    };
  }
}

export function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpuModel: model,
    cores: cpus().length,
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const load = () => loadavg().map((x) => round(x, 2));

/** A gateway in the bench process for one or more edges of the bench village (not started; stopped with `res`). */
export function benchGateway(o: {
  res: Resources;
  store: TimeSeriesStore;
  dir: string;
  edges: { edgeId: string; villageId: string; secret: string }[];
  port?: number;
}): Gateway {
  const gateway = new Gateway({
    provisioning: {
      edges: o.edges.map((e) => ({
        edgeId: e.edgeId,
        villageId: e.villageId,
        secretHash: hashSecret(e.secret),
        revoked: false,
      })),
    },
    store: o.store,
    dataDir: join(o.dir, 'gateway'),
    mqtt: { host: '127.0.0.1', port: o.port ?? 0 },
    ops: false,
    logger: benchLogger('gateway'),
  });
  o.res.add('gateway', () => gateway.stop());
  return gateway;
}

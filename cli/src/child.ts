import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from '@lumbung/runtime';

/** The launcher script: the way operators start lumbung, with the per-command Node settings. */
export const LAUNCHER = new URL('../bin/lumbung', import.meta.url).pathname;

/**
 * A `lumbung <command>` child process started through the launcher, as an operator would start it, with its
 * own environment; ready when `healthUrl` answers. Used by the end-to-end tests and the benchmarks.
 */
export class LumbungProcess {
  child: ChildProcess | undefined;
  /** The last 16 KiB of its output, for failure messages. */
  output = '';

  constructor(
    readonly command: 'edge' | 'gateway' | 'demo' | 'cloud' | 'sim',
    readonly env: Record<string, string>,
    /** Undefined for a command without an HTTP endpoint (`sim`): started once spawned. */
    readonly healthUrl: string | undefined,
    /** Extra Node options (NODE_OPTIONS), e.g. --cpu-prof. */
    readonly nodeOptions: string[] = [],
    readonly onSpawn?: (child: ChildProcess) => void,
    readonly args: string[] = [],
  ) {}

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  async start(): Promise<void> {
    const nodeOptions = [process.env.NODE_OPTIONS, ...this.nodeOptions].filter(Boolean).join(' ');
    const child = spawn(LAUNCHER, [this.command, ...this.args], {
      env: {
        ...process.env,
        LUMBUNG_LOG_LEVEL: 'warn',
        LUMBUNG_NODE: process.execPath,
        ...this.env,
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.onSpawn?.(child);
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString('utf8')).slice(-16_384);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const healthUrl = this.healthUrl;
    if (healthUrl === undefined) return;
    await waitFor(`lumbung ${this.command} ${healthUrl}`, async () => {
      if (child.exitCode !== null) throw new Error(`lumbung ${this.command} exited ${child.exitCode}:\n${this.output}`);
      const res = await fetch(healthUrl);
      await res.arrayBuffer();
      return res.status < 500 ? true : undefined;
    });
  }

  /** kill -9: no shutdown code runs. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Graceful stop (SIGTERM, then SIGKILL after `graceMs`); resolves with the exit code (or the signal). */
  async stop(graceMs = 10_000): Promise<number | string | null> {
    const child = this.child;
    this.child = undefined;
    return child ? stopChild(child, graceMs) : null;
  }
}

/** Stops a child process: SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (or the signal). */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  const exited = new Promise<number | string | null>((r) => child.once('exit', (code, sig) => r(code ?? sig)));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(t);
  return code;
}

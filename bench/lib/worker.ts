import { type ChildProcess, fork } from 'node:child_process';
import { stopChild, track } from './util.ts';

/**
 * A benchmark worker in a child process (`node --import tsx <file>`), driven over IPC: `send()` a command,
 * `next(type)` waits for the next reply of that type.
 */
export class Worker<Cmd, Reply extends { type: string }> {
  readonly child: ChildProcess;
  readonly #waiting: { type: string; resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  readonly #inbox: Reply[] = [];
  #exit: Error | undefined;
  stderr = '';

  constructor(file: URL, envVar: string, job: unknown, execArgv: string[] = []) {
    this.child = track(
      fork(file.pathname, [], {
        execArgv: ['--import', 'tsx', ...execArgv],
        env: { ...process.env, [envVar]: JSON.stringify(job) },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      }),
    );
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-8192);
    });
    this.child.on('message', (raw) => {
      const m = raw as Reply;
      if (m.type === 'error') {
        this.#fail(new Error(`worker ${file.pathname}: ${(m as unknown as { message: string }).message}`));
        return;
      }
      const i = this.#waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) this.#waiting.splice(i, 1)[0]?.resolve(m);
      else this.#inbox.push(m);
    });
    this.child.once('exit', (code, sig) => {
      this.#fail(new Error(`worker ${file.pathname} exited (${code ?? sig}) ${this.stderr.slice(-2000)}`));
    });
  }

  #fail(err: Error) {
    this.#exit ??= err;
    for (const w of this.#waiting.splice(0)) w.reject(err);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  send(cmd: Cmd): void {
    if (this.child.connected) this.child.send(cmd as object);
  }

  next<T extends Reply['type']>(type: T, timeoutMs = 120_000): Promise<Extract<Reply, { type: T }>> {
    const i = this.#inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.#inbox.splice(i, 1)[0] as Extract<Reply, { type: T }>);
    if (this.#exit) return Promise.reject(this.#exit);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        const k = this.#waiting.indexOf(w);
        if (k >= 0) this.#waiting.splice(k, 1);
        reject(new Error(`worker: no '${type}' within ${timeoutMs} ms ${this.stderr.slice(-1000)}`));
      }, timeoutMs);
      const w = {
        type,
        resolve: (r: Reply) => {
          clearTimeout(t);
          resolve(r as Extract<Reply, { type: T }>);
        },
        reject: (e: Error) => {
          clearTimeout(t);
          reject(e);
        },
      };
      this.#waiting.push(w);
    });
  }

  /** Ask and wait: `send(cmd)` then `next(type)`. */
  ask<T extends Reply['type']>(cmd: Cmd, type: T, timeoutMs?: number): Promise<Extract<Reply, { type: T }>> {
    const p = this.next(type, timeoutMs);
    this.send(cmd);
    return p;
  }

  async kill(): Promise<void> {
    await stopChild(this.child, 2000);
  }
}

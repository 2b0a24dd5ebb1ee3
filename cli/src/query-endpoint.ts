import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Component, OpsServer, Registry } from '@lumbung/runtime';
import { ReadingsQuery } from '@lumbung/schemas';
import type { TimeSeriesStore } from '@lumbung/store';
import { runQuery } from './query.ts';

/** Where a running process that owns the embedded store says how to query it. */
export const queryRunFile = (dataDir: string): string => path.join(dataDir, 'run', 'query.json');

/**
 * The embedded DuckDB file has one writer process; while the gateway or the demo owns it, `lumbung query`
 * from another shell asks that process instead, through this loopback-only endpoint (POST-free: GET /query
 * with the parameters as JSON in `q`). The cloud API of the next issue supersedes it for users.
 */
export class QueryEndpoint implements Component {
  #server: OpsServer | undefined;

  constructor(
    private readonly store: TimeSeriesStore,
    private readonly dataDir: string,
  ) {}

  async start(): Promise<void> {
    const server = new OpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      health: () => ({ status: 'ok' }),
      routes: {
        '/query': async (url) => {
          const parsed = ReadingsQuery.safeParse(JSON.parse(url.searchParams.get('q') ?? '{}'));
          if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join('; ') };
          return runQuery(this.store, parsed.data);
        },
      },
    });
    await server.start();
    this.#server = server;
    await mkdir(path.dirname(queryRunFile(this.dataDir)), { recursive: true });
    await writeFile(
      queryRunFile(this.dataDir),
      JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${server.port}/query` }),
    );
  }

  async stop(): Promise<void> {
    await rm(queryRunFile(this.dataDir), { force: true });
    await this.#server?.stop();
    this.#server = undefined;
  }
}

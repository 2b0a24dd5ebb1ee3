import http from 'node:http';
import type { Registry } from 'prom-client';
import type { Component } from './component.ts';
import { listen } from './net.ts';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  [key: string]: unknown;
}

/**
 * The small operator endpoint of the edge and the gateway: GET /health (JSON, 200 when ok or
 * degraded, 503 when down) and GET /metrics (Prometheus text), plus extra JSON routes a component adds.
 */
export class OpsServer implements Component {
  #server: http.Server | undefined;
  #port = 0;

  constructor(
    private readonly opts: {
      port: number;
      host?: string;
      registry: Registry;
      health: () => HealthReport | Promise<HealthReport>;
      routes?: Record<string, (url: URL) => unknown | Promise<unknown>>;
    },
  ) {}

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.#handle(req, res).catch((err: Error) => {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ code: 'LUMBUNG_ERR_INTERNAL', message: err.message }));
      });
    });
    this.#port = await listen(server, this.opts.port, this.opts.host ?? '127.0.0.1');
    this.#server = server;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') {
      res.statusCode = 405;
      res.end();
      return;
    }
    if (url.pathname === '/metrics') {
      res.setHeader('content-type', this.opts.registry.contentType);
      res.end(await this.opts.registry.metrics());
      return;
    }
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/health') {
      const h = await this.opts.health();
      json(h.status === 'down' ? 503 : 200, h);
      return;
    }
    const route = this.opts.routes?.[url.pathname];
    if (route) {
      json(200, await route(url));
      return;
    }
    json(404, { code: 'LUMBUNG_ERR_NOT_FOUND', message: 'not found' });
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

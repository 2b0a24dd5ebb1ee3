// Test helpers shared by the workspaces' tests (package subpath `@lumbung/runtime/testing`).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { listen } from '../src/net.ts';

/** Whether the openssl CLI is on this machine (Debian's `openssl` package). */
export const opensslAvailable = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A throwaway CA and a server certificate for 127.0.0.1 (valid one day), made with the openssl CLI in `dir`. */
export function makeTestCertificates(dir: string): { ca: Buffer; key: Buffer; cert: Buffer } {
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem')].concat([
      '-days',
      '1',
      '-subj',
      '/CN=lumbung-test-ca',
    ]),
  );
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('srv.key'),
    '-out',
    f('srv.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1');
  run(
    ['x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial'].concat([
      '-out',
      f('srv.pem'),
      '-days',
      '1',
      '-extfile',
      f('ext.cnf'),
    ]),
  );
  return { ca: readFileSync(f('ca.pem')), key: readFileSync(f('srv.key')), cert: readFileSync(f('srv.pem')) };
}

/**
 * A real HTTP server standing in for the cloud's provisioning routes, with their contract: 200 with the JSON body
 * and an ETag; 304 when If-None-Match matches; 401 `{ code, message }` for missing or wrong credentials; 403 for a
 * revoked client. `down` answers 503, `hang` never answers (a dead link). Every request is recorded.
 */
export class StandInCloud {
  readonly requests: {
    path: string;
    authorization: string | undefined;
    ifNoneMatch: string | undefined;
    status: number;
  }[] = [];
  /** Requests received, answered or not. */
  received = 0;
  down = false;
  hang = false;
  readonly #routes = new Map<
    string,
    { body: unknown; authorize: (authorization: string | undefined) => 200 | 401 | 403 }
  >();
  #server: http.Server | undefined;
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Serves `body` at `path`; `authorize` decides from the Authorization header. Replaces what was served there. */
  serve(path: string, body: unknown, authorize: (authorization: string | undefined) => 200 | 401 | 403): void {
    this.#routes.set(path, { body, authorize });
  }

  /** Replaces the body at `path`, keeping its authorization. */
  update(path: string, body: unknown): void {
    const r = this.#routes.get(path);
    if (!r) throw new Error(`nothing served at ${path}`);
    r.body = body;
  }

  /** The ETag the route would send now (a quoted SHA-256 of the body). */
  etag(path: string): string {
    return `"${createHash('sha256')
      .update(JSON.stringify(this.#routes.get(path)?.body))
      .digest('hex')}"`;
  }

  async start(port = this.#port): Promise<void> {
    const server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const authorization = req.headers.authorization;
      const ifNoneMatch = req.headers['if-none-match'];
      const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        this.requests.push({ path, authorization, ifNoneMatch, status });
        res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      this.received++;
      if (this.hang) return;
      if (this.down) return answer(503, { code: 'LUMBUNG_ERR_UNAVAILABLE', message: 'down for maintenance' });
      const route = this.#routes.get(path);
      if (!route) return answer(404, { code: 'LUMBUNG_ERR_NOT_FOUND', message: 'not found' });
      const auth = route.authorize(authorization);
      if (auth === 401) return answer(401, { code: 'LUMBUNG_ERR_UNAUTHORIZED', message: 'wrong credentials' });
      if (auth === 403) return answer(403, { code: 'LUMBUNG_ERR_FORBIDDEN', message: 'revoked' });
      const etag = this.etag(path);
      if (ifNoneMatch === etag) return answer(304, undefined, { etag });
      answer(200, route.body, { etag });
    });
    this.#port = await listen(server, port, '127.0.0.1');
    this.#server = server;
  }

  /** Closes the listener and every connection (also hanging requests); start() again reuses the port. */
  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** `Authorization: Basic` of an id and a secret, as a village box sends it. */
export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

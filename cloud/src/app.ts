import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Logger } from '@lumbung/runtime';
import type { MetricCatalogue } from '@lumbung/schemas';
import type { TimeSeriesStore } from '@lumbung/store';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AgroService } from './agro/service.ts';
import { RateLimiter } from './auth/rate-limit.ts';
import type { AuthService } from './auth/service.ts';
import { EcoService } from './eco/service.ts';
import { ApiFailure, type ErrorCode, type Language, negotiateLanguage } from './errors.ts';
import type { LiveHub } from './live.ts';
import { type Registry, RegistryError } from './registry/port.ts';
import { agroRoutes } from './routes/agro.ts';
import { alertRoutes } from './routes/alerts.ts';
import { authenticateRequests, authRoutes } from './routes/auth.ts';
import { deviceRoutes } from './routes/devices.ts';
import { ecoRoutes } from './routes/eco.ts';
import { orderRoutes } from './routes/orders.ts';
import { provisioningRoutes } from './routes/provisioning.ts';
import { digitalLinkRoutes, publicApiRoutes } from './routes/public.ts';
import { stockRoutes } from './routes/stock.ts';
import { streamRoutes } from './routes/stream.ts';
import { supplyRoutes } from './routes/supply.ts';
import { telemetryRoutes } from './routes/telemetry.ts';
import { userRoutes } from './routes/users.ts';
import { villageRoutes } from './routes/villages.ts';
import { normalizeBaseUrl } from './supply/digital-link.ts';
import { SupplyService } from './supply/service.ts';
import type { Telemetry } from './telemetry.ts';

export interface AppDeps {
  registry: Registry;
  store: TimeSeriesStore;
  telemetry: Telemetry;
  live: LiveHub;
  catalogue: MetricCatalogue;
  version: string;
  /** The built dashboard (dashboards/dist), served at `/`; without it `/` redirects to the API docs. */
  dashboardDir?: string | undefined;
  /** `sha256:` hash of the token the gateway presents for its provisioning; without it that route refuses all. */
  gatewayTokenHash?: string | undefined;
  /** Sign-in and tokens (issue 4). Without it there are no /auth routes and bearer tokens are not read. */
  auth?: AuthService | undefined;
  /** Origins allowed to call the API from a browser (CORS); none by default: the dashboard is same-origin. */
  corsOrigins?: readonly string[];
  /** Requests per address and per user: burst and refill per second. Default 600 and 20/s. */
  requestLimit?: { burst: number; perSecond: number };
  /** Largest request body, bytes. Default 64 KiB: the API takes small JSON documents only. */
  bodyLimit?: number;
  /**
   * The platform's public base URL (https://lumbung.example.id), for the lots' GS1 Digital Links, QR codes
   * and EPCIS identifiers (LUMBUNG_PUBLIC_URL). Default: the address each request came to.
   */
  publicUrl?: string | undefined;
  logger?: Logger;
  now?: () => number;
  startedAt?: number;
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
  }
}

/**
 * Builds the cloud HTTP app without listening (tests use `inject`; `Cloud` listens). Order: external
 * plugins (compression, OpenAPI), then error handling, then routes by domain, then the dashboard.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  // A wrong public URL would be printed on every lot label: refuse it at start-up, not at the first scan.
  if (deps.publicUrl !== undefined) deps = { ...deps, publicUrl: normalizeBaseUrl(deps.publicUrl) };
  // One service per app: it runs each village's supply-chain writes one at a time (service.ts).
  const supply = new SupplyService({ registry: deps.registry, store: deps.store, now: deps.now });
  const eco = new EcoService({ registry: deps.registry, store: deps.store, now: deps.now });
  const agro = new AgroService({ registry: deps.registry, store: deps.store, now: deps.now });
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit ?? 64 * 1024,
    // Request ids appear in 5xx messages so an operator can find the log line a user reports.
    genReqId: () => Math.random().toString(36).slice(2, 10),
    // Per-request log lines would drown a village's logs (the dashboard polls and streams); errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors Fastify raises before routing (a path parameter over 100 characters, a malformed URL) get
    // the catalogue's shape too, not Fastify's own.
    frameworkErrors: (err, req, res) => {
      const f = new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail: err.message });
      const lang = negotiateLanguage(req.headers['accept-language']);
      const reply = res as unknown as {
        code(n: number): typeof reply;
        type(t: string): typeof reply;
        send(b: string): void;
      };
      reply
        .code(400)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ code: f.code, message: f.messageIn(lang) }));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('lang', 'id');
  const limit = deps.requestLimit ?? { burst: 600, perSecond: 20 };
  const limiter = new RateLimiter({ capacity: limit.burst, refillPerSecond: limit.perSecond, now: deps.now });
  const cors = new Set(deps.corsOrigins ?? []);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    req.lang = negotiateLanguage(req.headers['accept-language']);
    reply.header('content-language', req.lang);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    const origin = req.headers.origin;
    if (origin && cors.has(origin)) {
      reply.header('access-control-allow-origin', origin).header('vary', 'origin');
      if (req.method === 'OPTIONS') {
        reply
          .header('access-control-allow-methods', 'GET, POST, PUT')
          .header('access-control-allow-headers', 'authorization, content-type, accept-language')
          .header('access-control-max-age', '600');
        return reply.code(204).send();
      }
    }
    limiter.enforce(`ip:${req.ip}`);
  });

  await app.register(fastifyCompress, { global: true, threshold: 1024 });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Lumbung API',
        description:
          'Village registry, telemetry, alerts, live stream and supply chain of Lumbung. Errors are `{ code, message }`; the message follows `Accept-Language` (id or en).',
        version: deps.version,
      },
      tags: [
        { name: 'system', description: 'Health and metric catalogue' },
        { name: 'registry', description: 'Villages, sites, devices' },
        { name: 'telemetry', description: 'Series, readings, latest values, device health' },
        { name: 'alerts', description: 'Alerts raised by village boxes' },
        { name: 'provisioning', description: 'Credentials for the gateway and village boxes' },
        { name: 'auth', description: 'Sign-in, tokens and the signed-in user' },
        { name: 'users', description: "A village's users, roles and audit log" },
        { name: 'supply', description: 'Products, cooperatives, producers, lots, trace, EPCIS, inspections, recalls' },
        { name: 'stock', description: 'Packing-house stock, movements, FEFO picking and warnings' },
        { name: 'orders', description: 'KUB bulk orders, allocation, shipments and dispatch notes' },
        { name: 'public', description: 'What anyone who scans a lot’s QR code may see, without signing in' },
        { name: 'eco', description: 'Environmental indicators (GRI), figures entered by hand, CSR reports' },
        { name: 'agro', description: 'Station weather with ET0, plot advice, irrigation records' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const failure = toFailure(err, req);
    if (failure.status >= 500) req.log.error({ err, reqId: req.id, url: req.url }, 'request failed');
    const retryAfter = (failure.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (failure.status === 429 && retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    else req.log.debug({ code: failure.code, url: req.url }, 'request refused');
    return reply
      .code(failure.status)
      .type('application/json; charset=utf-8')
      .send(
        JSON.stringify({
          code: failure.code,
          message: failure.messageIn(req.lang),
          ...(failure.details !== undefined ? { details: failure.details } : {}),
        }),
      );
  });
  app.setNotFoundHandler((req, reply) => {
    const f = new ApiFailure('LUMBUNG_ERR_NOT_FOUND', { method: req.method, url: req.url.split('?')[0] ?? '' });
    return reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ code: f.code, message: f.messageIn(req.lang) }));
  });

  await app.register(
    async (api) => {
      if (deps.auth)
        authenticateRequests(
          api as unknown as App,
          deps.auth,
          new RateLimiter({ capacity: limit.burst, refillPerSecond: limit.perSecond, now: deps.now }),
        );
      await authRoutes(api as unknown as App, deps);
      await userRoutes(api, deps);
      await villageRoutes(api, deps);
      await telemetryRoutes(api, deps);
      await alertRoutes(api, deps);
      await streamRoutes(api, deps);
      await provisioningRoutes(api, deps);
      await deviceRoutes(api, deps);
      await supplyRoutes(api, deps, supply);
      await ecoRoutes(api, deps, eco);
      await stockRoutes(api, deps, supply);
      await orderRoutes(api, deps, supply);
      await publicApiRoutes(api, deps, supply);
      await agroRoutes(api, deps, agro);
    },
    { prefix: '/api/v1' },
  );
  // The URIs in the lots' QR codes live at the root, registered before the dashboard's files.
  await digitalLinkRoutes(app as unknown as App, deps, supply);

  if (deps.dashboardDir) {
    await app.register(fastifyStatic, {
      root: deps.dashboardDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // @fastify/static 9 passes the Fastify reply here (its types say ServerResponse).
      setHeaders: (res, file) => {
        const reply = res as unknown as { header(k: string, v: string): unknown };
        // Vite names assets by content hash: they never change. index.html must always be checked.
        reply.header('cache-control', file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/docs'));
  }
  return app as unknown as App;
}

/** Maps anything thrown in a request to a catalogue entry; unknown errors become a 500 that hides its cause. */
function toFailure(err: FastifyError, req: FastifyRequest): ApiFailure {
  if (err instanceof ApiFailure) return err;
  if (err instanceof RegistryError) {
    const code: ErrorCode = err.kind === 'conflict' ? 'LUMBUNG_ERR_CONFLICT' : 'LUMBUNG_ERR_VALIDATION';
    if (err.kind === 'not_found') return new ApiFailure('LUMBUNG_ERR_NOT_FOUND', { method: req.method, url: req.url });
    return new ApiFailure(code, { detail: err.message });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      where: err.validationContext,
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: v.message,
    }));
    const detail = issues.map((i) => `${i.where}${i.path ? `.${i.path}` : ''}: ${i.message}`).join('; ');
    return new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail }, issues);
  }
  if (isResponseSerializationError(err)) return new ApiFailure('LUMBUNG_ERR_INTERNAL', { requestId: req.id });
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiFailure('LUMBUNG_ERR_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiFailure('LUMBUNG_ERR_UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail: err.message });
  }
  // JSON syntax errors and other client errors Fastify raised itself carry a 4xx status.
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail: err.message });
  return new ApiFailure('LUMBUNG_ERR_INTERNAL', { requestId: req.id });
}

import { LoginRequest, Me, OtpRequest, OtpVerify, RefreshRequest, SignedIn } from '@lumbung/schemas';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { RateLimiter } from '../auth/rate-limit.ts';
import type { AuthenticatedPrincipal, AuthService } from '../auth/service.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors } from './common.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user of this request (Authorization: Bearer), if any. */
    principal: AuthenticatedPrincipal | undefined;
  }
}

const ctx = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] });

/** The signed-in user, or 401. */
export function requirePrincipal(req: FastifyRequest): AuthenticatedPrincipal {
  if (!req.principal) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
  return req.principal;
}

/**
 * Identifies the caller from `Authorization: Bearer` (an access token or an API token). A bearer that
 * does not check out is a 401, never a silent fall-back to anonymous.
 */
export function authenticateRequests(api: Api, auth: AuthService, perUser?: RateLimiter): void {
  api.decorateRequest('principal', undefined);
  api.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/api/v1/provisioning/')) return;
    const header = req.headers.authorization;
    // EventSource cannot send headers: the live stream takes the access token as a query parameter.
    const fromQuery = /\/stream(\?|$)/.test(req.url)
      ? new URLSearchParams(req.url.split('?')[1] ?? '').get('access_token')
      : null;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : fromQuery;
    if (!bearer) return;
    const principal = await auth.authenticate(bearer);
    if (!principal) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
    req.principal = principal;
    // Per user as well as per address: one account scripted from many addresses is still one account.
    perUser?.enforce(`user:${principal.userId}`);
  });
}

export async function authRoutes(api: Api, deps: AppDeps): Promise<void> {
  const auth = deps.auth;
  if (!auth) return;

  api.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        description: `Wrong credentials are a 401 whatever was wrong; after ${auth.policy.maxFailures} failures the account is locked for ${auth.policy.lockMs / 60_000} minutes (423); an address gets ${auth.policy.loginBurst} quick attempts, then one every ${Math.round(1 / auth.policy.loginRefillPerSecond)} s (429).`,
        body: LoginRequest,
        response: { 200: SignedIn, ...errors(400, 401, 413, 415, 423, 429) },
      },
    },
    async (req) => auth.login(req.body.username, req.body.password, ctx(req)),
  );

  api.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new pair (each refresh token works once)',
        body: RefreshRequest,
        response: { 200: SignedIn, ...errors(400, 401) },
      },
    },
    async (req) => auth.refresh(req.body.refreshToken),
  );

  api.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session: its refresh token and access tokens stop working at once',
        response: { 204: z.null().describe('Signed out'), ...errors(401) },
      },
    },
    async (req, reply) => {
      await auth.logout(requirePrincipal(req), ctx(req));
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and their roles per village',
        response: { 200: Me, ...errors(401) },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      return {
        user: { id: p.userId, username: p.username },
        memberships: p.memberships.map((m) => ({
          role: m.role,
          villageId: m.villageId ?? null,
          siteIds: [...(m.siteIds ?? [])],
        })),
      };
    },
  );

  api.post(
    '/auth/otp/request',
    {
      schema: {
        tags: ['auth'],
        summary: 'Send a one-time sign-in code to a registered phone number',
        description:
          'The answer is the same whether or not the number is registered. In the demo the code goes to the log and the notification outbox.',
        body: OtpRequest,
        response: { 202: z.object({ accepted: z.literal(true) }), ...errors(400, 429) },
      },
    },
    async (req, reply) => {
      await auth.requestOtp(req.body.phone, ctx(req));
      return reply.code(202).send({ accepted: true });
    },
  );

  api.post(
    '/auth/otp/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with the one-time code',
        body: OtpVerify,
        response: { 200: SignedIn, ...errors(400, 401, 429) },
      },
    },
    async (req) => auth.verifyOtp(req.body.phone, req.body.code, ctx(req)),
  );
}

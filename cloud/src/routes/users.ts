import { generateSecret } from '@lumbung/runtime';
import {
  ApiTokenView,
  AuditEvent,
  NewApiTokenRequest,
  NewApiTokenResponse,
  NewVillageUser,
  TemporaryPassword,
  VillageRoleInput,
  VillageUser,
} from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { opaqueToken, tokenHash } from '../auth/tokens.ts';
import { ApiFailure } from '../errors.ts';
import type { MembershipRecord, UserRecord } from '../registry/accounts.ts';
import { requirePrincipal } from './auth.ts';
import { type Api, errors, VillageParams, villageAccess } from './common.ts';

const UserParams = VillageParams.extend({ userId: z.string().min(1).max(200) });
const temporaryPassword = () => generateSecret().slice(0, 14);

function view(user: UserRecord, memberships: readonly MembershipRecord[], villageId: string, now: number) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    phone: user.phone,
    disabled: user.disabledAt !== null,
    locked: user.lockedUntil !== null && user.lockedUntil > now,
    roles: memberships.filter((m) => m.villageId === villageId).map((m) => ({ role: m.role, siteIds: m.siteIds })),
  };
}

/**
 * A village's users (village admins manage them: create, roles, password reset), its audit log, and each
 * user's own API tokens. A village admin gives roles in their village only, never platform admin.
 */
export async function userRoutes(api: Api, deps: AppDeps): Promise<void> {
  const { registry } = deps;
  const auth = deps.auth;
  if (!auth) return;
  const accounts = registry.accounts;
  const now = deps.now ?? Date.now;

  /** The user, if they have a role in the village (others are not found here). */
  const memberOf = async (villageId: string, userId: string) => {
    const user = await accounts.getUser(userId);
    const memberships = user ? await accounts.listMemberships(userId) : [];
    if (!user || !memberships.some((m) => m.villageId === villageId))
      throw new ApiFailure('LUMBUNG_ERR_USER_NOT_FOUND', { userId });
    return { user, memberships };
  };

  api.get(
    '/villages/:villageId/users',
    {
      schema: {
        tags: ['users'],
        summary: "The village's users and their roles in it",
        params: VillageParams,
        response: { 200: z.array(VillageUser), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await villageAccess(req, registry, req.params.villageId, 'user.manage');
      const users = await accounts.usersOfVillage(req.params.villageId);
      return users.map((u) => view(u.user, u.memberships, req.params.villageId, now()));
    },
  );

  api.post(
    '/villages/:villageId/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user with roles in this village; answers a temporary password, shown once',
        params: VillageParams,
        body: NewVillageUser,
        response: { 201: TemporaryPassword, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const { principal } = await villageAccess(req, registry, req.params.villageId, 'user.manage');
      const password = temporaryPassword();
      const at = now();
      const user = await accounts.createUser({
        username: req.body.username,
        displayName: req.body.displayName,
        phone: req.body.phone ?? null,
        passwordHash: await auth.hashPassword(password),
        createdAt: at,
      });
      const memberships = await accounts.setMemberships(
        user.id,
        req.body.roles.map((r) => ({ role: r.role, villageId: req.params.villageId, siteIds: r.siteIds })),
        at,
      );
      await auth.auditBy(principal, req.ip, {
        action: 'user.created',
        villageId: req.params.villageId,
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username, roles: req.body.roles.map((r) => r.role) },
      });
      return reply
        .code(201)
        .send({ user: view(user, memberships, req.params.villageId, at), temporaryPassword: password });
    },
  );

  api.put(
    '/villages/:villageId/users/:userId/roles',
    {
      schema: {
        tags: ['users'],
        summary: "Replace a user's roles in this village (their roles elsewhere stay)",
        params: UserParams,
        body: z.object({ roles: z.array(VillageRoleInput).max(6) }),
        response: { 200: VillageUser, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, userId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'user.manage');
      const { user, memberships } = await memberOf(villageId, userId);
      const before = memberships.filter((m) => m.villageId === villageId).map((m) => m.role);
      const next = await accounts.setMemberships(
        userId,
        [
          ...memberships
            .filter((m) => m.villageId !== villageId)
            .map((m) => ({ role: m.role, villageId: m.villageId, siteIds: m.siteIds })),
          ...req.body.roles.map((r) => ({ role: r.role, villageId, siteIds: r.siteIds })),
        ],
        now(),
      );
      await auth.auditBy(principal, req.ip, {
        action: 'user.role_changed',
        villageId,
        targetType: 'user',
        targetId: userId,
        details: { before, after: req.body.roles.map((r) => r.role) },
      });
      return view(user, next, villageId, now());
    },
  );

  api.post(
    '/villages/:villageId/users/:userId/reset-password',
    {
      schema: {
        tags: ['users'],
        summary: "Reset a user's password: a temporary one, shown once; their sessions end",
        params: UserParams,
        body: z.object({}).nullish(),
        response: { 200: TemporaryPassword, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req) => {
      const { villageId, userId } = req.params;
      const { principal } = await villageAccess(req, registry, villageId, 'user.manage');
      const { memberships } = await memberOf(villageId, userId);
      // A village admin cannot take over an admin of the platform by resetting their password.
      if (memberships.some((m) => m.role === 'platform_admin') && !principal.isPlatformAdmin)
        throw new ApiFailure('LUMBUNG_ERR_FORBIDDEN');
      const password = temporaryPassword();
      const at = now();
      const user = await accounts.updateUser(userId, {
        passwordHash: await auth.hashPassword(password),
        passwordChangedAt: at,
      });
      await accounts.resetLoginFailures(userId);
      await accounts.revokeUserSessions(userId, at);
      await auth.auditBy(principal, req.ip, {
        action: 'user.password_reset',
        villageId,
        targetType: 'user',
        targetId: userId,
      });
      return { user: view(user, memberships, villageId, at), temporaryPassword: password };
    },
  );

  api.get(
    '/villages/:villageId/audit',
    {
      schema: {
        tags: ['users'],
        summary: "The village's audit log, newest first: sign-ins, failed sign-ins, roles, credentials, exports",
        params: VillageParams,
        querystring: z.object({
          action: z.string().max(500).optional().describe('Comma-separated actions, e.g. auth.login_failed'),
          before: z.coerce.number().int().optional().describe('Events before this time (epoch ms), for paging'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.array(AuditEvent), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await villageAccess(req, registry, req.params.villageId, 'audit.read');
      const events = await accounts.listAudit({
        villageId: req.params.villageId,
        ...(req.query.action ? { actions: req.query.action.split(',').map((a) => a.trim()) } : {}),
        ...(req.query.before !== undefined ? { before: req.query.before } : {}),
        limit: req.query.limit,
      });
      return events.map((e) => ({
        id: e.id,
        at: e.at,
        actor: e.actorLabel,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        ip: e.ip,
        success: e.success,
        details: e.details,
      }));
    },
  );

  const tokenView = (t: {
    id: string;
    name: string;
    createdAt: number;
    expiresAt: number | null;
    lastUsedAt: number | null;
    revokedAt: number | null;
  }) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    revoked: t.revokedAt !== null,
  });

  api.get(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'My API tokens (never the tokens themselves)',
        response: { 200: z.array(ApiTokenView), ...errors(401) },
      },
    },
    async (req) => (await accounts.listApiTokens(requirePrincipal(req).userId)).map(tokenView),
  );

  api.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for an integration; it acts with my roles and is shown once',
        body: NewApiTokenRequest,
        response: { 201: NewApiTokenResponse, ...errors(400, 401, 413, 415) },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const token = opaqueToken('lbt');
      const at = now();
      const t = await accounts.createApiToken({
        userId: p.userId,
        name: req.body.name,
        tokenHash: tokenHash(token),
        createdAt: at,
        expiresAt: req.body.expiresInDays ? at + req.body.expiresInDays * 86_400_000 : null,
      });
      await auth.auditBy(p, req.ip, {
        action: 'token.created',
        targetType: 'api_token',
        targetId: t.id,
        details: { name: t.name },
      });
      return reply.code(201).send({ ...tokenView(t), token });
    },
  );

  api.post(
    '/auth/tokens/:tokenId/revoke',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of my API tokens',
        params: z.object({ tokenId: z.string().min(1).max(200) }),
        body: z.object({}).nullish(),
        response: { 200: ApiTokenView, ...errors(400, 401, 404, 413, 415) },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const t = await accounts.getApiToken(req.params.tokenId);
      if (!t || t.userId !== p.userId)
        throw new ApiFailure('LUMBUNG_ERR_TOKEN_NOT_FOUND', { tokenId: req.params.tokenId });
      await accounts.revokeApiToken(t.id, now());
      await auth.auditBy(p, req.ip, {
        action: 'token.revoked',
        targetType: 'api_token',
        targetId: t.id,
      });
      return tokenView({ ...t, revokedAt: t.revokedAt ?? now() });
    },
  );
}

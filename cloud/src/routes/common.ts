import { ApiError, VillageId, type VillageRecord } from '@lumbung/schemas';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../app.ts';
import type { Permission } from '../auth/permissions.ts';
import type { AuthenticatedPrincipal } from '../auth/service.ts';
import { ApiFailure } from '../errors.ts';
import type { Registry } from '../registry/port.ts';
import { normalizeBaseUrl } from '../supply/digital-link.ts';

/** The error responses a route can give, for its OpenAPI document (every body is an ApiError). */
export const errors = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 423 | 429 | 503)[]) =>
  Object.fromEntries([...statuses, 500].map((s) => [s, ApiError])) as Record<number, typeof ApiError>;

export const VillageParams = z.object({ villageId: VillageId });

/** The village of a request, or a 404 in the caller's language. */
export async function requireVillage(registry: Registry, villageId: string): Promise<VillageRecord> {
  const v = await registry.getVillage(villageId);
  if (!v) throw new ApiFailure('LUMBUNG_ERR_VILLAGE_NOT_FOUND', { villageId });
  return v;
}

export type Api = App;

/**
 * The access checks every village route makes (docs/permissions.md). A caller who does not belong to the
 * village gets the same 404 as for a village that does not exist, so ids of other villages reveal nothing;
 * a member without the permission gets 403.
 */
export function requirePermission(
  req: FastifyRequest,
  permission: Permission,
  villageId: string,
): AuthenticatedPrincipal {
  const p = req.principal;
  if (!p) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
  if (!p.isPlatformAdmin && !p.memberships.some((m) => m.villageId === villageId))
    throw new ApiFailure('LUMBUNG_ERR_VILLAGE_NOT_FOUND', { villageId });
  if (!p.can(permission, villageId)) throw new ApiFailure('LUMBUNG_ERR_FORBIDDEN');
  return p;
}

/** What a caller may reach in one village: the village, who they are, and which sites' data they see. */
export interface VillageAccess {
  village: VillageRecord;
  principal: AuthenticatedPrincipal;
  /** 'all', or the ids of the sites whose telemetry and alerts the caller may see. */
  visible: 'all' | ReadonlySet<string>;
  seeSite(siteId: string | null | undefined): boolean;
}

/**
 * The access check of every village route: signed in (401), in the village (404, as for a village that
 * does not exist), holding the permission (403); then the sites the caller's roles may see (a farmer:
 * own plots and the weather). Admins of the village and the platform see every site.
 */
export async function villageAccess(
  req: FastifyRequest,
  registry: Registry,
  villageId: string,
  permission: Permission,
): Promise<VillageAccess> {
  const principal = requirePermission(req, permission, villageId);
  const village = await requireVillage(registry, villageId);
  let visible: 'all' | Set<string> = 'all';
  if (!principal.seesAllSites(villageId)) {
    const sites = await registry.listSites(villageId);
    visible = new Set(sites.filter((s) => principal.canSeeSite(villageId, s)).map((s) => s.id));
  }
  const v = visible;
  return {
    village,
    principal,
    visible: v,
    seeSite: (siteId) => v === 'all' || (siteId != null && v.has(siteId)),
  };
}

/**
 * The platform's public base URL, for Digital Links, QR codes and EPCIS identifiers: LUMBUNG_PUBLIC_URL
 * when set, else the address this request came to (a phone must reach what the QR code says). A Host
 * header that makes no URL is the client's mistake, not a 500.
 */
export function baseUrlOf(req: FastifyRequest, publicUrl: string | undefined): string {
  try {
    return normalizeBaseUrl(publicUrl ?? `${req.protocol}://${req.host}`);
  } catch {
    throw new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail: `Host ${JSON.stringify(req.host)}` });
  }
}

/**
 * A file to download (PDF, CSV), as an attachment named `filename`. The Buffer is sent as it is (no
 * serializer); the route schema's string only documents the body.
 */
export function sendFile(reply: FastifyReply, file: { contentType: string; filename: string; body: Buffer }) {
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .send(file.body as unknown as string);
}

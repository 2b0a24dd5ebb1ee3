import type { FastifyRequest } from 'fastify';
import type { Permission, SiteRef } from '../auth/permissions.ts';
import type { AuthenticatedPrincipal } from '../auth/service.ts';
import { ApiFailure } from '../errors.ts';

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

/** Whether the caller may read a site's telemetry (a farmer: own plots and the weather; staff: the packing house). */
export function canSeeSite(req: FastifyRequest, villageId: string, site: SiteRef): boolean {
  return req.principal?.canSeeSite(villageId, site) ?? false;
}

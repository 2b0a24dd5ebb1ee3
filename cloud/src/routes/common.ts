import { ApiError, VillageId, type VillageRecord } from '@lumbung/schemas';
import { z } from 'zod';
import type { App } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import type { Registry } from '../registry/port.ts';

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

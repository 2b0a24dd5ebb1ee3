import { AlertAction, AlertRecord, AlertStatus, AlertsQuery } from '@lumbung/schemas';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors, VillageParams, villageAccess } from './common.ts';

const AlertParams = VillageParams.extend({ alertId: z.string().min(1).max(120) });

export async function alertRoutes(api: Api, deps: AppDeps): Promise<void> {
  const { registry, live } = deps;
  const now = deps.now ?? Date.now;

  api.get(
    '/villages/:villageId/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts of a village, newest first (default: open and acknowledged)',
        params: VillageParams,
        querystring: AlertsQuery,
        response: { 200: z.array(AlertRecord), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'alert.read');
      const statuses = (req.query.status ?? 'open,acknowledged').split(',').map((s) => s.trim());
      const parsed = z.array(AlertStatus).safeParse(statuses);
      if (!parsed.success)
        throw new ApiFailure('LUMBUNG_ERR_VALIDATION', {
          detail: `status must be a comma-separated list of ${AlertStatus.options.join(', ')}`,
        });
      const alerts = await registry.listAlerts(req.params.villageId, {
        status: parsed.data,
        siteId: req.query.siteId,
        deviceId: req.query.deviceId,
        limit: req.query.limit,
      });
      return alerts.filter((a) => access.seeSite(a.siteId));
    },
  );

  api.get(
    '/villages/:villageId/alerts/:alertId',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert',
        params: AlertParams,
        response: { 200: AlertRecord, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const access = await villageAccess(req, registry, req.params.villageId, 'alert.read');
      const a = await registry.getAlert(req.params.villageId, req.params.alertId);
      if (!a || !access.seeSite(a.siteId))
        throw new ApiFailure('LUMBUNG_ERR_ALERT_NOT_FOUND', { alertId: req.params.alertId });
      return a;
    },
  );

  for (const action of ['acknowledge', 'resolve'] as const) {
    const to = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    api.post(
      `/villages/:villageId/alerts/:alertId/${action}`,
      {
        schema: {
          tags: ['alerts'],
          summary:
            action === 'acknowledge'
              ? 'Acknowledge an open alert (someone is on it)'
              : 'Resolve an alert (open or acknowledged)',
          params: AlertParams,
          body: AlertAction.nullish(),
          response: { 200: AlertRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (req) => {
        const access = await villageAccess(req, registry, req.params.villageId, 'alert.manage');
        const current = await registry.getAlert(req.params.villageId, req.params.alertId);
        if (!current || !access.seeSite(current.siteId))
          throw new ApiFailure('LUMBUNG_ERR_ALERT_NOT_FOUND', { alertId: req.params.alertId });
        const updated = await registry.updateAlertStatus(
          req.params.villageId,
          req.params.alertId,
          to,
          // Who did it is the signed-in user; `by` may add a name (a shared village phone).
          req.body?.by ? `${access.principal.username} (${req.body.by})` : access.principal.username,
          now(),
        );
        if (!updated) throw new ApiFailure('LUMBUNG_ERR_ALERT_NOT_FOUND', { alertId: req.params.alertId });
        live.alert(req.params.villageId, updated);
        return updated;
      },
    );
  }
}

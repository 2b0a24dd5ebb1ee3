import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import type { LiveMessage } from '../live.ts';
import { type Api, errors, VillageParams, villageAccess } from './common.ts';

const PING_MS = 15_000;

export async function streamRoutes(api: Api, deps: AppDeps): Promise<void> {
  api.get(
    '/villages/:villageId/stream',
    {
      schema: {
        tags: ['telemetry'],
        summary: 'Live updates of a village as server-sent events',
        querystring: z.object({
          access_token: z
            .string()
            .optional()
            .describe('The access token, for clients that cannot send headers (EventSource)'),
        }),
        description:
          'Events: `readings` ({ readings: LatestReading[] }, the newest value per series, at most about once a second), `alert` (AlertRecord, on raise, clear, acknowledge and resolve), `device` (DeviceHealth, on a presence change). A comment line every 15 s keeps proxies from closing the connection.',
        params: VillageParams,
        response: { 200: z.string().describe('text/event-stream'), ...errors(400, 401, 403, 404, 503) },
      },
      // Compressing an event stream would hold events back in the compressor's buffer.
      compress: false,
    },
    async (req, reply) => {
      const access = await villageAccess(req, deps.registry, req.params.villageId, 'telemetry.read');
      const raw = reply.raw;
      // Each subscriber gets only the sites its roles may see.
      const write = (m: LiveMessage) => {
        let data: unknown = m.data;
        if (m.event === 'readings') {
          const readings = m.data.readings.filter((r) => access.seeSite(r.siteId));
          if (readings.length === 0) return;
          data = { readings };
        } else if (!access.seeSite(m.data.siteId)) return;
        raw.write(`event: ${m.event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const unsubscribe = deps.live.subscribe(req.params.villageId, write);
      if (!unsubscribe) throw new ApiFailure('LUMBUNG_ERR_RATE_LIMITED');
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'content-language': req.lang,
      });
      raw.write(`retry: 5000\n: lumbung live ${req.params.villageId}\n\n`);
      const ping = setInterval(() => raw.write(': ping\n\n'), PING_MS);
      const close = () => {
        clearInterval(ping);
        unsubscribe();
      };
      raw.on('close', close);
      raw.on('error', close);
    },
  );
}

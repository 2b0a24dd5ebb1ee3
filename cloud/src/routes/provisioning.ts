import { createHash } from 'node:crypto';
import { verifySecret } from '@lumbung/runtime';
import { EdgeProvisioning, GatewayProvisioning } from '@lumbung/schemas';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiFailure } from '../errors.ts';
import { type Api, errors } from './common.ts';

/**
 * Credentials for the ingestion gateway and the village boxes, pulled by them (decision 0008) and kept
 * as their last-known copy. Responses carry an ETag so the poll every few seconds costs a 304.
 */
export async function provisioningRoutes(api: Api, deps: AppDeps): Promise<void> {
  const { registry } = deps;

  api.get(
    '/provisioning/edge',
    {
      schema: {
        tags: ['provisioning'],
        summary: "A village box's provisioning: its village's devices (secret hashes) and threshold rules",
        description: 'Authenticate with HTTP Basic: the edge id and the edge secret.',
        response: {
          200: EdgeProvisioning,
          304: z.null().describe('Not modified (If-None-Match)'),
          ...errors(401, 403),
        },
      },
    },
    async (req, reply) => {
      const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
      const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      if (colon <= 0) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
      const edgeId = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      const edge = await registry.getEdge(edgeId);
      if (edge?.revoked) throw new ApiFailure('LUMBUNG_ERR_EDGE_REVOKED', { edgeId });
      if (!edge || !(await registry.verifyEdgeSecret(edgeId, secret))) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
      const body = await registry.edgeProvisioning(edgeId);
      if (!body) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
      return withEtag(req, reply, body);
    },
  );

  api.get(
    '/provisioning/gateway',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'The ingestion gateway’s provisioning: every village box with its secret hash',
        description: 'Authenticate with `Authorization: Bearer <LUMBUNG_GATEWAY_TOKEN>`.',
        response: { 200: GatewayProvisioning, 304: z.null().describe('Not modified (If-None-Match)'), ...errors(401) },
      },
    },
    async (req, reply) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!deps.gatewayTokenHash || !bearer || !verifySecret(bearer[1]!, deps.gatewayTokenHash))
        throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
      return withEtag(req, reply, await registry.gatewayProvisioning());
    },
  );
}

function withEtag<T>(req: FastifyRequest, reply: FastifyReply, body: T): T | FastifyReply {
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache');
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return body;
}

import { z } from 'zod';
import { DownPayload, StatusPayload, UpPayload } from './device.ts';

/** JSON Schemas of every device-facing payload, for firmware authors (`npm run schemas:export`). */
export function deviceJsonSchemas(): Record<string, unknown> {
  return {
    'up.schema.json': { title: 'Lumbung device readings (.../up)', ...z.toJSONSchema(UpPayload) },
    'status.schema.json': { title: 'Lumbung device status (.../status)', ...z.toJSONSchema(StatusPayload) },
    'down.schema.json': { title: 'Lumbung device command (.../down)', ...z.toJSONSchema(DownPayload) },
  };
}

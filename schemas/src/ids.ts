import { z } from 'zod';

/**
 * Identifiers that appear in MQTT topics. They must never contain the topic
 * separators or wildcards (`/`, `+`, `#`), so a lowercase slug grammar is used
 * for villages, devices and edges alike.
 */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const Id = z
  .string()
  .regex(ID_PATTERN, 'lowercase letters, digits, "-" or "_", 1-64 characters, starting with a letter or digit');

export const VillageId = Id.describe('Village (desa/kelurahan) identifier');
export const DeviceId = Id.describe('Device identifier, unique within the platform');
export const EdgeId = Id.describe('Village box (edge) identifier');

import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * One configuration setting: its environment variable, zod schema (with default) and description.
 * Components declare their settings with `setting()` and read them with `loadConfig()`; the README's
 * configuration table is generated from the same declarations (`lumbung config --markdown`).
 */
export interface Setting<T extends z.ZodType = z.ZodType> {
  env: string;
  schema: T;
  description: string;
}

export const setting = <T extends z.ZodType>(env: string, schema: T, description: string): Setting<T> => ({
  env,
  schema,
  description,
});

export type SettingsShape = Record<string, Setting>;
export type ConfigOf<S extends SettingsShape> = { [K in keyof S]: z.output<S[K]['schema']> };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Reads settings from an environment (default process.env); empty strings count as unset. */
export function loadConfig<S extends SettingsShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ConfigOf<S>> = {},
): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(shape)) {
    if (key in overrides && (overrides as Record<string, unknown>)[key] !== undefined) {
      out[key] = (overrides as Record<string, unknown>)[key];
      continue;
    }
    const raw = env[s.env];
    const parsed = s.schema.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(
        s.env,
        `${issue?.message ?? 'invalid value'} (got ${JSON.stringify(raw)}); ${s.description}`,
      );
    }
    out[key] = parsed.data;
  }
  return out as ConfigOf<S>;
}

/** Reads a file named by a setting (a certificate, a key); a failure names the variable. */
export function readSettingFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(variable, `cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Whether a setting was given explicitly in the environment (used to decide if a taken port is an error). */
export const isSet = (s: Setting, env: Record<string, string | undefined> = process.env): boolean =>
  env[s.env] !== undefined && env[s.env] !== '';

/** Markdown table of settings for the README. */
export function configTable(shapes: Record<string, SettingsShape>): string {
  const rows = ['| variable | component | default | description |', '| --- | --- | --- | --- |'];
  const seen = new Set<string>();
  for (const [component, shape] of Object.entries(shapes)) {
    for (const s of Object.values(shape)) {
      if (seen.has(s.env)) continue;
      seen.add(s.env);
      const d = s.schema.safeParse(undefined);
      const def = !d.success ? '(required)' : d.data === undefined ? '(unset)' : `\`${String(d.data)}\``;
      rows.push(`| \`${s.env}\` | ${component} | ${def} | ${s.description} |`);
    }
  }
  return rows.join('\n');
}

/** Schemas for common setting types (environment values are strings). */
export const env = {
  port: (def: number) => z.coerce.number().int().min(0).max(65535).default(def),
  int: (def: number, min = 0) => z.coerce.number().int().min(min).default(def),
  number: (def: number) => z.coerce.number().default(def),
  string: (def: string) => z.string().default(def),
  optionalString: () => z.string().optional(),
  bool: (def: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

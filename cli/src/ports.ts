import { isPortFree, type Setting } from '@lumbung/runtime';

export class PortTakenError extends Error {
  constructor(
    readonly variable: string,
    readonly port: number,
  ) {
    super(
      `${variable}=${port}: port ${port} is already in use (port ${port} sudah dipakai). Choose another port or stop the program using it.`,
    );
  }
}

/**
 * Resolves a listening port for a setting. A port set explicitly and already taken stops start-up with
 * a message naming the variable; a default port that is taken (many machines run Mosquitto on 1883) is
 * replaced by a free one, and `replaced` says so.
 */
export async function resolvePort(
  s: Setting,
  value: number,
  env: Record<string, string | undefined> = process.env,
  host = '0.0.0.0',
): Promise<{ port: number; replaced: boolean }> {
  if (value === 0) return { port: 0, replaced: false };
  if (await isPortFree(value, host)) return { port: value, replaced: false };
  if (env[s.env] !== undefined && env[s.env] !== '') throw new PortTakenError(s.env, value);
  return { port: 0, replaced: true };
}

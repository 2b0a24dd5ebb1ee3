import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs; LUMBUNG_LOG_LEVEL picks the level (default info, `silent` in tests). */
export function createLogger(component: string, level = process.env.LUMBUNG_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { component } });
}

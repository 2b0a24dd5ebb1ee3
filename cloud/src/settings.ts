import { env, type SettingsShape, setting } from '@lumbung/runtime';
import { normalizeBaseUrl } from './supply/digital-link.ts';

/** Whether a value is a base URL the Digital Links can be built on (http(s), no query or fragment). */
const isBaseUrl = (v: string | undefined): boolean => {
  if (v === undefined) return true;
  try {
    normalizeBaseUrl(v);
    return true;
  } catch {
    return false;
  }
};

/** Settings of the cloud API (`lumbung cloud`, and the cloud part of `lumbung demo`). */
export const cloudSettings = {
  httpHost: setting('LUMBUNG_HTTP_HOST', env.string('0.0.0.0'), 'Address the API and dashboard listen on'),
  httpPort: setting('LUMBUNG_HTTP_PORT', env.port(8080), 'Port of the API and dashboard (0 = any free port)'),
  databaseUrl: setting(
    'LUMBUNG_DATABASE_URL',
    env.optionalString(),
    'Registry database: a PostgreSQL URL (`postgresql://user@host:5432/db?schema=lumbung`), or a SQLite `file:` path; default SQLite `DATA_DIR/cloud.db`',
  ),
  gatewayToken: setting(
    'LUMBUNG_GATEWAY_TOKEN',
    env.optionalString(),
    'Token the ingestion gateway presents to fetch its provisioning from the cloud (the demo makes one)',
  ),
  authSecret: setting(
    'LUMBUNG_AUTH_SECRET',
    env.optionalString(),
    'Key that signs access tokens (at least 32 characters; every cloud process of one installation needs the same); default a random key kept in DATA_DIR/cloud/auth.key',
  ),
  corsOrigins: setting(
    'LUMBUNG_CORS_ORIGINS',
    env.optionalString(),
    'Comma-separated origins (https://app.example.id) allowed to call the API from a browser; none by default (the dashboard is served from the same origin)',
  ),
  publicUrl: setting(
    'LUMBUNG_PUBLIC_URL',
    env.optionalString().refine(isBaseUrl, 'an http(s) URL without query or fragment'),
    'Public base URL of the platform (https://lumbung.example.id), used in QR codes, GS1 Digital Links and EPCIS exports; default the address each request came to',
  ),
  dashboardDir: setting(
    'LUMBUNG_DASHBOARD_DIR',
    env.optionalString(),
    'Directory of the built dashboard served at `/`; default the `dashboards/dist` of this installation',
  ),
} satisfies SettingsShape;

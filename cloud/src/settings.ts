import { env, type SettingsShape, setting } from '@lumbung/runtime';

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
  dashboardDir: setting(
    'LUMBUNG_DASHBOARD_DIR',
    env.optionalString(),
    'Directory of the built dashboard served at `/`; default the `dashboards/dist` of this installation',
  ),
} satisfies SettingsShape;

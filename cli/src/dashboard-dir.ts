import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The built dashboard of this installation (`dashboards/dist`, built by `npm install`'s postinstall or
 * `npm run build -w @lumbung/dashboards`), or undefined with the reason when it is not built.
 */
export function dashboardDir(configured: string | undefined): { dir?: string; problem?: string } {
  const dir =
    configured ??
    path.join(path.dirname(createRequire(import.meta.url).resolve('@lumbung/dashboards/package.json')), 'dist');
  if (existsSync(path.join(dir, 'index.html'))) return { dir };
  return {
    problem: `the dashboard is not built in ${dir}: run \`npm run build -w @lumbung/dashboards\` (npm install does it)`,
  };
}

/** The version of this installation, for the API's health and OpenAPI document. */
export function lumbungVersion(): string {
  const require = createRequire(import.meta.url);
  return (
    require(path.join(path.dirname(require.resolve('@lumbung/cli/package.json')), '..', 'package.json')) as {
      version: string;
    }
  ).version;
}

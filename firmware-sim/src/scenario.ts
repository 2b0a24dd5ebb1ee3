import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultCatalogue, Scenario } from '@lumbung/schemas';
import type { z } from 'zod';
import { families as builtinFamilies } from './families/index.ts';
import type { DeviceFamily } from './family.ts';

export interface ScenarioIssue {
  /** Where in the file, e.g. `devices[2].intervalSeconds`. */
  path: string;
  message: string;
}

/** A scenario that cannot be played, with every problem found and where it is. */
export class ScenarioError extends Error {
  readonly code = 'LUMBUNG_ERR_SCENARIO_INVALID';
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`${source}: invalid scenario\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** `devices[2].intervalSeconds` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

const zodIssues = (error: z.ZodError): ScenarioIssue[] =>
  error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));

/**
 * What the schema cannot know because families live here: every device's family exists, fits its
 * site, its faults make sense for it (a mains meter has no battery to decline; a stuck metric is one
 * it measures).
 */
export function checkScenario(
  scenario: Scenario,
  families: Readonly<Record<string, DeviceFamily>> = builtinFamilies,
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const sites = new Map(scenario.sites.map((s) => [s.id, s]));
  scenario.devices.forEach((d, i) => {
    const family = families[d.family];
    if (!family) {
      issues.push({
        path: `devices[${i}].family`,
        message: `unknown family "${d.family}"; known: ${Object.keys(families).join(', ')}`,
      });
      return;
    }
    const site = sites.get(d.siteId);
    if (site && !family.siteKinds.includes(site.kind))
      issues.push({
        path: `devices[${i}].siteId`,
        message: `a ${family.id} goes on a ${family.siteKinds.join(' or ')}, "${site.id}" is a ${site.kind}`,
      });
    if (site?.kind === 'meter_point' && family.measures && site.measures !== family.measures)
      issues.push({
        path: `devices[${i}].siteId`,
        message: `a ${family.id} measures ${family.measures}, meter point "${site.id}" measures ${site.measures}`,
      });
    d.faults.forEach((f, j) => {
      if (f.type === 'battery_decline' && family.power === 'mains')
        issues.push({
          path: `devices[${i}].faults[${j}]`,
          message: `a ${family.id} runs on mains: no battery to decline`,
        });
      if ((f.type === 'stuck' || f.type === 'spikes') && f.metric !== undefined && !family.metrics.includes(f.metric))
        issues.push({
          path: `devices[${i}].faults[${j}].metric`,
          message: `a ${family.id} does not measure ${f.metric}; it measures ${family.metrics.join(', ')}`,
        });
    });
    for (const m of family.metrics)
      if (!defaultCatalogue.has(m))
        issues.push({
          path: `devices[${i}].family`,
          message: `family ${family.id} writes ${m}, not in the metric catalogue`,
        });
  });
  return issues;
}

/** Validates a parsed JSON value as a scenario the simulator can play; throws ScenarioError naming each bad field. */
export function parseScenario(
  raw: unknown,
  source = 'scenario',
  families: Readonly<Record<string, DeviceFamily>> = builtinFamilies,
): Scenario {
  const parsed = Scenario.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(source, zodIssues(parsed.error));
  const issues = checkScenario(parsed.data, families);
  if (issues.length > 0) throw new ScenarioError(source, issues);
  return parsed.data;
}

/** Reads and validates a scenario JSON file. */
export async function loadScenario(
  path: string | URL,
  families: Readonly<Record<string, DeviceFamily>> = builtinFamilies,
): Promise<Scenario> {
  const source = String(path instanceof URL ? path.pathname : path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(source, [{ path: '', message: `cannot read file: ${(err as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(source, [{ path: '', message: `not JSON: ${(err as Error).message}` }]);
  }
  return parseScenario(raw, source, families);
}

// Resolved through the package, not import.meta.url, so they also hold inside the CLI's bundle.
const shipped = (file: string): URL =>
  pathToFileURL(
    path.join(
      path.dirname(createRequire(import.meta.url).resolve('@lumbung/firmware-sim/package.json')),
      'scenarios',
      file,
    ),
  );

/** The demo scenario shipped with the simulator: Kelurahan Taman, Kota Madiun. */
export const DEMO_SCENARIO_PATH = shipped('kelurahan-taman.json');

/** A second, smaller village (Desa Sukamaju, WITA) the demo registers to show that villages are kept apart. */
export const SECOND_DEMO_SCENARIO_PATH = shipped('desa-sukamaju.json');

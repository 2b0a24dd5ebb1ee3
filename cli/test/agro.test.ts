import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCHER } from '../src/child.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `lumbung agro ...` through the launcher, as an operator runs it, with `stdin` piped in. */
function agro(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      LAUNCHER,
      ['agro', ...args],
      { env: { ...process.env, LUMBUNG_NODE: process.execPath } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

// FAO-56 (Allen et al. 1998) Example 18: Uccle (Brussels), 6 July, 50°48'N, 100 m; wind 10 km/h at 10 m.
const UCCLE = {
  latitude: 50.8,
  elevation: 100,
  date: '2001-07-06',
  tmax: 21.5,
  tmin: 12.3,
  rhmax: 84,
  rhmin: 63,
  windSpeed: 10 / 3.6,
  windHeight: 10,
  sunshineHours: 9.25,
};

describe('lumbung agro', () => {
  let dir: string;
  const file = async (name: string, content: unknown) => {
    const p = path.join(dir, name);
    await writeFile(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lumbung-agro-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('et0-daily reproduces FAO-56 Example 18 (Brussels, 6 July): ET0 3.9 mm/day with its intermediates', async () => {
    const run = await agro(['et0-daily', await file('uccle.json', UCCLE)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.et0).toBeCloseTo(3.88, 2);
    expect(r.et0.toFixed(1)).toBe('3.9');
    expect(r.ra).toBeCloseTo(41.09, 2);
    expect(r.N).toBeCloseTo(16.1, 1);
    expect(r.rs).toBeCloseTo(22.07, 2);
    expect(r.rso).toBeCloseTo(30.9, 2);
    expect(r.rnl).toBeCloseTo(3.71, 2);
    expect(r.rn).toBeCloseTo(13.28, 2);
    expect(r.ea).toBeCloseTo(1.409, 3);
    expect(r.u2).toBeCloseTo(2.078, 3);
    expect(r.gamma).toBeCloseTo(0.0666, 4);
    expect(r.method).toEqual({ humidity: 'rhmax-rhmin', radiation: 'sunshine', wind: 'measured', soilHeatFlux: 'day' });
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining([
        'pressure',
        'gamma',
        'es',
        'ea',
        'delta',
        'ra',
        'N',
        'rs',
        'rso',
        'rns',
        'rnl',
        'rn',
        'g',
        'u2',
      ]),
    );
  });

  it('reads standard input for FILE "-" and says which missing-data procedures it used (FAO-56 Example 20, Lyon: 4.6 mm/day)', async () => {
    const run = await agro(
      ['et0-daily', '-'],
      JSON.stringify({ latitude: 45.72, elevation: 200, dayOfYear: 196, tmax: 26.6, tmin: 14.8 }),
    );
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.et0.toFixed(1)).toBe('4.6');
    expect(r.notes.map((n: { code: string }) => n.code)).toEqual([
      'ea-from-tmin',
      'wind-default',
      'rs-from-temperature',
    ]);
  });

  it('et0-hourly reproduces FAO-56 Example 19 (N’Diaye, 14-15 h): 0.63 mm/hour', async () => {
    const input = {
      latitude: 16 + 13 / 60,
      longitude: -(16 + 15 / 60),
      utcOffsetHours: -1,
      elevation: 8,
      date: '2001-10-01',
      hourStart: 14,
      temperature: 38,
      rh: 52,
      windSpeed: 3.3,
      solarRadiation: 2.45,
    };
    const run = await agro(['et0-hourly', await file('ndiaye.json', input)]);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.et0.toFixed(2)).toBe('0.63');
    expect(r.ra).toBeCloseTo(3.543, 3);
  });

  it('water-balance runs the root-zone balance of the input days', async () => {
    const input = {
      fieldCapacity: 0.3,
      wiltingPoint: 0.15,
      rootDepth: 0.5,
      p: 0.5,
      initialDepletion: 0,
      days: [
        { et0: 5, kc: 1 },
        { et0: 5, kc: 1, rain: 20 },
      ],
    };
    const run = await agro(['water-balance', await file('plot.json', input)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.taw).toBeCloseTo(75, 9);
    expect(r.days).toHaveLength(2);
    expect(r.days[0].depletion).toBeCloseTo(5, 9);
  });

  it('refuses bad input with exit code 2 and a message naming each field, without a stack trace', async () => {
    const bad = await agro(['et0-daily', await file('bad.json', { ...UCCLE, rhmax: 120, humidity: 80 })]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/rhmax: maksimal 100 % \/ must be at most 100 %/);
    expect(bad.stderr).toMatch(/humidity: kolom tidak dikenal \/ unknown field/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const missing = await agro(['et0-hourly', '-'], JSON.stringify({ latitude: 0 }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/longitude: wajib diisi \/ is required/);

    const days = await agro(
      ['water-balance', '-'],
      JSON.stringify({
        fieldCapacity: 0.3,
        wiltingPoint: 0.15,
        rootDepth: 0.5,
        p: 0.5,
        initialDepletion: 0,
        days: [{ et0: -1, kc: 1 }],
      }),
    );
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/days\[0\]\.et0: /);

    const notJson = await agro(['et0-daily', await file('not.json', '{ latitude: 1 ')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not.json bukan JSON yang sah \/ is not valid JSON/);

    const absent = await agro(['et0-daily', path.join(dir, 'absent.json')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/absent.json tidak terbaca \/ cannot be read \(ENOENT\)/);

    const unknown = await agro(['et0-weekly', '-'], '{}');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown subcommand 'et0-weekly'/);
  });

  it('--help lists the subcommands', async () => {
    const help = await agro(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/et0-daily FILE[\s\S]*et0-hourly FILE[\s\S]*water-balance FILE/);
  });
});

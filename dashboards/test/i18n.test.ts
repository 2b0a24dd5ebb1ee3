import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csrEn } from '../src/i18n/csr-en.ts';
import { csrId } from '../src/i18n/csr-id.ts';
import { farmEn } from '../src/i18n/farm-en.ts';
import { farmId } from '../src/i18n/farm-id.ts';
import { CATALOGUES, LANGS, placeholders, storedLang, translate } from '../src/i18n/index.ts';
import { publicEn } from '../src/i18n/public-en.ts';
import { publicId } from '../src/i18n/public-id.ts';
import { supplyEn } from '../src/i18n/supply-en.ts';
import { supplyId } from '../src/i18n/supply-id.ts';

/** The catalogues of the lazily loaded pages (supply chain, public trace page, farm, CSR), each in both languages. */
const LAZY: Record<string, Record<'id' | 'en', Record<string, string>>> = {
  supply: { id: supplyId, en: supplyEn },
  public: { id: publicId, en: publicEn },
  farm: { id: farmId, en: farmEn },
  csr: { id: csrId, en: csrEn },
};

/**
 * What `t('key')` can name in a source file: the supply, farm and CSR pages also their own words, the public page
 * only its own.
 */
function knownKeys(file: string): Set<string> {
  const f = file.split(path.sep).join('/');
  const app = Object.keys(CATALOGUES.id);
  if (f === 'pages/supply/trace.tsx') return new Set(Object.keys(publicId));
  if (f.startsWith('pages/supply/')) return new Set([...Object.keys(supplyId), ...app]);
  if (f.startsWith('pages/farm/')) return new Set([...Object.keys(farmId), ...app]);
  if (f.startsWith('pages/csr/')) return new Set([...Object.keys(csrId), ...app]);
  return new Set(app);
}

describe('the interface catalogues', () => {
  it('have the same keys in Bahasa Indonesia and English', () => {
    const id = Object.keys(CATALOGUES.id).sort();
    const en = Object.keys(CATALOGUES.en).sort();
    expect(en.filter((k) => !id.includes(k))).toEqual([]);
    expect(id.filter((k) => !en.includes(k))).toEqual([]);
    expect(id.length).toBeGreaterThan(50);
  });

  it('use the same {placeholders} for a key in both languages, and no message is empty', () => {
    const problems: string[] = [];
    for (const key of Object.keys(CATALOGUES.id) as (keyof typeof CATALOGUES.id)[]) {
      const [a, b] = LANGS.map((l) => CATALOGUES[l][key]);
      if (JSON.stringify(placeholders(a!)) !== JSON.stringify(placeholders(b!)))
        problems.push(`${key}: id ${placeholders(a!)} vs en ${placeholders(b!)}`);
      for (const l of LANGS) if (!CATALOGUES[l][key].trim()) problems.push(`${key} is empty in ${l}`);
    }
    expect(problems).toEqual([]);
  });

  it('has a key for every t("…") call with a literal key in the sources', async () => {
    const src = path.join(import.meta.dirname, '..', 'src');
    const files = (await readdir(src, { recursive: true })).filter((f) => /\.tsx?$/.test(f));
    const missing: string[] = [];
    for (const f of files) {
      const text = await readFile(path.join(src, f), 'utf8');
      const known = knownKeys(f);
      for (const m of text.matchAll(/\bt\('([A-Za-z_]+)'/g)) if (!known.has(m[1]!)) missing.push(`${f}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(LAZY))(
    'the %s pages have their own catalogue with the same keys and {placeholders} in both languages',
    (_, c) => {
      expect(Object.keys(c.en).sort()).toEqual(Object.keys(c.id).sort());
      const problems: string[] = [];
      for (const key of Object.keys(c.id)) {
        const [a, b] = [c.id[key]!, c.en[key]!];
        if (JSON.stringify(placeholders(a)) !== JSON.stringify(placeholders(b)))
          problems.push(`${key}: id ${placeholders(a)} vs en ${placeholders(b)}`);
        if (!a.trim() || !b.trim()) problems.push(`${key} is empty`);
      }
      expect(problems).toEqual([]);
    },
  );

  it.each([
    ['supply', supplyId],
    ['farm', farmId],
    ['csr', csrId],
  ])("has no %s-page key that hides one of the app's (those pages look in their catalogue first)", (_, own) => {
    expect(Object.keys(own).filter((k) => k in CATALOGUES.id)).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('id', 'devicesOnline', { online: 7, total: 8 })).toBe('Perangkat aktif: 7 dari 8');
    expect(translate('en', 'devicesOnline', { online: 7, total: 8 })).toBe('Devices online: 7 of 8');
    expect(translate('en', 'devicesOnline', { online: 7 })).toBe('Devices online: 7 of {total}');
    expect(translate('id', 'navAlerts')).toBe('Peringatan');
    expect(translate('en', 'navAlerts')).toBe('Alerts');
  });

  it('defaults to Bahasa Indonesia unless English was chosen', () => {
    expect(storedLang(undefined)).toBe('id');
    expect(storedLang({ getItem: () => null })).toBe('id');
    expect(storedLang({ getItem: () => 'en' })).toBe('en');
    expect(storedLang({ getItem: () => 'fr' })).toBe('id');
    expect(
      storedLang({
        getItem: () => {
          throw new Error('SecurityError');
        },
      }),
    ).toBe('id');
  });
});

import { LotCode } from '@lumbung/schemas';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  digitalLink,
  gs1CheckDigit,
  isValidLotCode,
  lotClassUri,
  lotQrSvg,
  normalizeGtin,
  parseDigitalLink,
} from '../../src/supply/digital-link.ts';

const baseUrl = 'https://lumbung.example';

describe('GTIN check digit (GS1 General Specifications §7.9.1, mod 10)', () => {
  it.each([
    ['09506000134352', 'GS1 example GTIN (GS1 Digital Link documentation)'],
    ['09506000134376', 'GS1 example GTIN (GS1 Digital Link documentation)'],
    ['4006381333931', 'EAN-13 example (Wikipedia "International Article Number")'],
    ['036000291452', 'UPC-A example (Wikipedia "Universal Product Code")'],
    ['96385074', 'EAN-8 example (Wikipedia "EAN-8")'],
  ])('%s is valid: %s', (gtin) => {
    expect(gs1CheckDigit(gtin.slice(0, -1))).toBe(Number(gtin.at(-1)));
    expect(normalizeGtin(gtin)).toBe(gtin.padStart(14, '0'));
  });

  it('pads GTIN-8/12/13 to the 14 digits Digital Link uses', () => {
    expect(normalizeGtin('4006381333931')).toBe('04006381333931');
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin(' 036000291452 ')).toBe('00036000291452');
  });

  it('rejects a wrong check digit, saying which digit it should be', () => {
    expect(() => normalizeGtin('4006381333932')).toThrow('check digit 2 is wrong, it should be 1');
    expect(() => normalizeGtin('09506000134353')).toThrow('digit pemeriksa 3 salah, seharusnya 2');
  });

  it.each(['', '123456789', '40063813339310', '40063813339', '400638133393A', '4006-381333931', '+4006381333931'])(
    'rejects %j (not 8, 12, 13 or 14 digits, or not valid)',
    (s) => {
      expect(() => normalizeGtin(s)).toThrow(/GTIN/);
    },
  );
});

describe('lot codes', () => {
  it.each([
    ['TA-261115-01', true],
    ['A', true],
    ['ABCDEFGHIJ0123456789', true], // 20 characters: the most GS1 AI (10) holds
    ['ABCDEFGHIJ01234567890', false],
    ['ta-261115-01', false],
    ['-TA', false],
    ['TA/01', false],
    ['TA 01', false],
    ['', false],
  ])('%j valid: %s, as LotCode in @lumbung/schemas says', (code, valid) => {
    expect(isValidLotCode(code)).toBe(valid);
    expect(LotCode.safeParse(code).success).toBe(valid);
  });
});

describe('digitalLink and lotClassUri', () => {
  it('with a GTIN: GS1 Digital Link on our domain; the EPCIS class on id.gs1.org', () => {
    const lot = { baseUrl, villageId: 'sukamaju', lotId: 'TA-261115-01', gtin: '9506000134352' };
    expect(digitalLink(lot)).toBe('https://lumbung.example/01/09506000134352/10/TA-261115-01');
    expect(lotClassUri(lot)).toBe('https://id.gs1.org/01/09506000134352/10/TA-261115-01');
  });

  it('without a GTIN: the platform resolver URL for both', () => {
    const lot = { baseUrl: 'https://lumbung.example/', villageId: 'sukamaju', lotId: 'TB-261101-01' };
    expect(digitalLink(lot)).toBe('https://lumbung.example/lot/sukamaju/TB-261101-01');
    expect(lotClassUri({ ...lot, gtin: null })).toBe('https://lumbung.example/lot/sukamaju/TB-261101-01');
  });

  it('keeps a path prefix of the base URL', () => {
    expect(digitalLink({ baseUrl: 'https://desa.example/lumbung/', villageId: 'sukamaju', lotId: 'A-1' })).toBe(
      'https://desa.example/lumbung/lot/sukamaju/A-1',
    );
  });

  it.each([
    [{ baseUrl, villageId: 'sukamaju', lotId: 'ta-1' }, /lot code/],
    [{ baseUrl, villageId: 'sukamaju', lotId: 'TA-1', gtin: '4006381333932' }, /check digit/],
    [{ baseUrl, villageId: 'Suka Maju', lotId: 'TA-1' }, /villageId/],
    [{ baseUrl: 'ftp://lumbung.example', villageId: 'sukamaju', lotId: 'TA-1' }, /baseUrl/],
    [{ baseUrl: 'lumbung.example', villageId: 'sukamaju', lotId: 'TA-1' }, /baseUrl/],
  ])('refuses %j', (input, message) => {
    expect(() => digitalLink(input)).toThrow(message);
  });
});

describe('parseDigitalLink (the resolver)', () => {
  const villages = ['sukamaju', 'desa-2'];
  const lots = ['TA-261115-01', 'A', 'ABCDEFGHIJ0123456789'];
  const gtins = [undefined, '09506000134352', '4006381333931', '96385074'];

  it('inverts digitalLink and lotClassUri for every form we issue', () => {
    for (const villageId of villages) {
      for (const lotId of lots) {
        for (const gtin of gtins) {
          const input = { baseUrl: 'https://desa.example/lumbung', villageId, lotId, gtin };
          const expected = gtin
            ? { kind: 'gtin', gtin: normalizeGtin(gtin), lotId }
            : { kind: 'platform', villageId, lotId };
          expect(parseDigitalLink(digitalLink(input))).toEqual(expected);
          expect(parseDigitalLink(lotClassUri(input))).toEqual(expected);
        }
      }
    }
  });

  it('ignores query and fragment, decodes percent-encoding, accepts a GTIN without lot', () => {
    expect(parseDigitalLink('https://x.example/01/09506000134352/10/TA%2D01?linkType=gs1:pip#top')).toEqual({
      kind: 'gtin',
      gtin: '09506000134352',
      lotId: 'TA-01',
    });
    expect(parseDigitalLink('https://id.gs1.org/01/4006381333931')).toEqual({
      kind: 'gtin',
      gtin: '04006381333931',
      lotId: null,
    });
  });

  it.each([
    'https://x.example/01/09506000134353/10/TA-01', // wrong check digit
    'https://x.example/01/09506000134352/21/12345', // a serial: we do not issue those
    'https://x.example/01/09506000134352/10/ta-01', // a lot code we would not issue
    'https://x.example/01/09506000134352/10/TA%ZZ', // broken percent-encoding
    'https://x.example/lot/Suka%20Maju/TA-01',
    'https://x.example/lot/sukamaju',
    'https://x.example/',
    'mailto:lot@x.example',
    'not a url',
  ])('returns null for %s', (url) => {
    expect(parseDigitalLink(url)).toBeNull();
  });
});

/** The dark modules an SVG from `qrcode` draws: its path is rows of `M x y` / `m dx dy` moves and `h n` runs. */
function svgModules(svg: string): { viewBox: number; dark: Set<string> } {
  const viewBox = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path stroke="#000000" d="([^"]*)"/.exec(svg)?.[1] ?? '';
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    const n = Number(a);
    if (cmd === 'M') [x, y] = [n, Number(b)];
    else if (cmd === 'm') [x, y] = [x + n, y + Number(b)];
    else {
      for (let i = 0; i < n; i++) dark.add(`${y - 0.5},${x + i}`);
      x += n;
    }
  }
  return { viewBox, dark };
}

function expectedModules(url: string, level: 'L' | 'M', margin: number): Set<string> {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: level });
  const dark = new Set<string>();
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) dark.add(`${r + margin},${c + margin}`);
  }
  return dark;
}

describe('lotQrSvg', () => {
  const url = 'https://lumbung.example/01/09506000134352/10/TA-261115-01';

  it('draws the QR symbol of exactly that URL, error correction M, with a 4-module quiet zone', async () => {
    const svg = await lotQrSvg(url);
    const { viewBox, dark } = svgModules(svg);
    const size = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.size;
    expect(viewBox).toBe(size + 8);
    expect(dark).toEqual(expectedModules(url, 'M', 4));
    expect(dark).not.toEqual(expectedModules(url, 'L', 4));
    expect(dark).not.toEqual(expectedModules(`${url}2`, 'M', 4));
    // ISO/IEC 18004 finder pattern: the top-left 7×7 square's outer ring is dark, right after the quiet zone.
    for (let i = 0; i < 7; i++) {
      expect(dark.has(`4,${4 + i}`) && dark.has(`10,${4 + i}`) && dark.has(`${4 + i},4`)).toBe(true);
    }
    expect(dark.has('3,4')).toBe(false);
  });
});

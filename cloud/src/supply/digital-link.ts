/**
 * GS1 identifiers of a production lot: the GTIN check (GS1 General Specifications §7.9), the GS1 Digital
 * Link URI printed as a QR code on the label (GS1 Digital Link URI Syntax 1.2), and the class identifier
 * the EPCIS export uses for the lot (EPCIS 2.0 accepts Digital Link URIs on id.gs1.org, or private URIs).
 * docs/epcis.md explains the choices.
 */

import { ID_PATTERN } from '@lumbung/schemas';
import QRCode from 'qrcode';

/** GS1's canonical Digital Link domain; EPCIS 2.0 examples identify classes and instances under it. */
export const GS1_CANONICAL_DOMAIN = 'https://id.gs1.org';

/**
 * Lot codes: GS1 AI (10) allows up to 20 characters of CSET 82 (GS1 General Specifications §3.4.1,
 * Figure 7.11-1). We restrict them to upper-case letters, digits and "-" (as `LotCode` in @lumbung/schemas):
 * readable aloud over the phone, safe in a URI path without escaping and in a Code 128 or QR code.
 */
const LOT_CODE = /^[A-Z0-9][A-Z0-9-]{0,19}$/;

export function isValidLotCode(s: unknown): s is string {
  return typeof s === 'string' && LOT_CODE.test(s);
}

/**
 * GS1 mod-10 check digit of the digits before it (GS1 General Specifications §7.9.1): weights 3 and 1
 * alternate from the rightmost digit, which gets 3; the check digit brings the sum to a multiple of 10.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) throw new Error(`not a digit string: ${JSON.stringify(digitsWithoutCheck)}`);
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A GTIN-8, -12, -13 or -14 as the 14 digits GS1 Digital Link and EPCIS use (left-padded with zeros, which
 * leaves the check digit unchanged because leading zeros add nothing to the weighted sum). Throws an Error
 * with a message in Bahasa Indonesia and English when the length or the check digit is wrong.
 */
export function normalizeGtin(s: string): string {
  const raw = typeof s === 'string' ? s.trim() : '';
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(raw)) {
    throw new Error(
      `GTIN ${JSON.stringify(s)} harus 8, 12, 13 atau 14 angka / GTIN ${JSON.stringify(s)} must be 8, 12, 13 or 14 digits`,
    );
  }
  const gtin14 = raw.padStart(14, '0');
  const expected = gs1CheckDigit(gtin14.slice(0, 13));
  const actual = Number(gtin14[13]);
  if (expected !== actual) {
    throw new Error(
      `GTIN ${raw}: digit pemeriksa ${actual} salah, seharusnya ${expected} / ` +
        `GTIN ${raw}: check digit ${actual} is wrong, it should be ${expected}`,
    );
  }
  return gtin14;
}

export interface LotLinkInput {
  /** Platform's public URL, e.g. https://lumbung.example (a path prefix is allowed). */
  baseUrl: string;
  villageId: string;
  lotId: string;
  gtin?: string | null;
}

/** `https://host[/prefix]` without a trailing slash, query or fragment; throws on anything else. */
export function normalizeBaseUrl(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new Error(`baseUrl ${JSON.stringify(baseUrl)} bukan URL / is not a URL`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash || u.username || u.password) {
    throw new Error(
      `baseUrl ${JSON.stringify(baseUrl)} harus URL http(s) tanpa query / must be an http(s) URL without query or fragment`,
    );
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

function checkLotAndVillage(villageId: string, lotId: string): void {
  if (!ID_PATTERN.test(villageId)) throw new Error(`villageId ${JSON.stringify(villageId)} tidak valid / is not valid`);
  if (!isValidLotCode(lotId)) {
    throw new Error(
      `Kode lot ${JSON.stringify(lotId)} tidak valid (A-Z, 0-9, "-", paling banyak 20) / ` +
        `lot code ${JSON.stringify(lotId)} is not valid (A-Z, 0-9, "-", at most 20)`,
    );
  }
}

/**
 * What the QR code on a lot's label says. With a GTIN: a GS1 Digital Link URI on our own domain,
 * `{baseUrl}/01/{gtin14}/10/{lot}`, which GS1 Digital Link allows on any domain (URI Syntax 1.2), so a
 * phone opens our trace page while a GS1 scanner still reads GTIN and lot. Without a GTIN: the platform's
 * own resolver URL `{baseUrl}/lot/{villageId}/{lotId}`.
 */
export function digitalLink(input: LotLinkInput): string {
  const base = normalizeBaseUrl(input.baseUrl);
  checkLotAndVillage(input.villageId, input.lotId);
  if (input.gtin) return `${base}/01/${normalizeGtin(input.gtin)}/10/${encodeURIComponent(input.lotId)}`;
  return `${base}/lot/${encodeURIComponent(input.villageId)}/${encodeURIComponent(input.lotId)}`;
}

/**
 * The lot's class identifier in EPCIS (`epcClass`): with a GTIN the canonical Digital Link form on
 * id.gs1.org (an LGTIN, as in GS1's EPCIS 2.0 examples), so the same lot has one identifier whoever exports it;
 * without, the platform URL, which is ours to mint.
 */
export function lotClassUri(input: LotLinkInput): string {
  if (input.gtin) {
    checkLotAndVillage(input.villageId, input.lotId);
    return `${GS1_CANONICAL_DOMAIN}/01/${normalizeGtin(input.gtin)}/10/${encodeURIComponent(input.lotId)}`;
  }
  return digitalLink(input);
}

export type ParsedLotLink =
  | { kind: 'gtin'; gtin: string; lotId: string | null }
  | { kind: 'platform'; villageId: string; lotId: string };

function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * The inverse of `digitalLink()` (and of `lotClassUri()`), for the resolver: any host, any path prefix,
 * query and fragment ignored (GS1 Digital Link puts link types and extra AIs there). Returns null for
 * anything that is not one of our lot links, including a GTIN with a wrong check digit or a lot code we
 * would not issue; never throws.
 */
export function parseDigitalLink(url: string): ParsedLotLink | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const segments = u.pathname.split('/').filter((s) => s !== '');
  const decoded = segments.map(decodeSegment);
  if (decoded.some((s) => s === null)) return null;
  const seg = decoded as string[];
  const n = seg.length;

  if (n >= 3 && seg[n - 3] === 'lot') {
    const villageId = seg[n - 2]!;
    const lotId = seg[n - 1]!;
    if (ID_PATTERN.test(villageId) && isValidLotCode(lotId)) return { kind: 'platform', villageId, lotId };
    return null;
  }

  // `01/{gtin}` last, or followed by exactly `10/{lot}`: the only Digital Link forms we print.
  let at = -1;
  if (n >= 4 && seg[n - 4] === '01' && seg[n - 2] === '10') at = n - 4;
  else if (n >= 2 && seg[n - 2] === '01') at = n - 2;
  if (at < 0) return null;
  let gtin: string;
  try {
    gtin = normalizeGtin(seg[at + 1]!);
  } catch {
    return null;
  }
  if (at === n - 2) return { kind: 'gtin', gtin, lotId: null };
  const lotId = seg[n - 1]!;
  return isValidLotCode(lotId) ? { kind: 'gtin', gtin, lotId } : null;
}

/**
 * The lot's QR code as SVG, for labels and the lot page. Error correction M (about 15 % of the symbol may
 * be lost, ISO/IEC 18004) and the 4-module quiet zone ISO/IEC 18004 asks for: a printed label
 * sits next to other ink, unlike the provisioning QR on a screen.
 */
export async function lotQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

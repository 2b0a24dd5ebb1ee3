import type { z } from 'zod';
import { RegistryError } from './registry/port.ts';

/**
 * The one catalogue of API errors: a stable code, the HTTP status, and the message in Bahasa Indonesia
 * and English. Routes throw `ApiFailure(code, params)`; the error handler (app.ts) is the one place that
 * turns it into a response. docs/api.md lists the catalogue (kept in step by cloud/test/errors.test.ts).
 */
export const ERRORS = {
  LUMBUNG_ERR_VALIDATION: {
    status: 400,
    id: 'Permintaan tidak valid: {detail}',
    en: 'Invalid request: {detail}',
  },
  LUMBUNG_ERR_TOO_MANY_POINTS: {
    status: 400,
    id: 'Terlalu banyak titik data ({points}, paling banyak {max}): perlebar step atau persempit rentang waktu',
    en: 'Too many data points ({points}, at most {max}): widen the step or narrow the time range',
  },
  LUMBUNG_ERR_TIME_RANGE: {
    status: 400,
    id: 'Rentang waktu tidak valid: "to" harus setelah "from"',
    en: 'Invalid time range: "to" must be after "from"',
  },
  LUMBUNG_ERR_BODY_TOO_LARGE: {
    status: 413,
    id: 'Isi permintaan terlalu besar',
    en: 'Request body too large',
  },
  LUMBUNG_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    id: 'Jenis isi tidak didukung: kirim application/json',
    en: 'Unsupported content type: send application/json',
  },
  LUMBUNG_ERR_UNAUTHORIZED: {
    status: 401,
    id: 'Perlu kredensial yang benar',
    en: 'Valid credentials required',
  },
  LUMBUNG_ERR_LOGIN_FAILED: {
    status: 401,
    id: 'Nama pengguna atau kata sandi salah',
    en: 'Wrong username or password',
  },
  LUMBUNG_ERR_ACCOUNT_LOCKED: {
    status: 423,
    id: 'Akun dikunci sementara karena terlalu banyak percobaan masuk; coba lagi dalam {minutes} menit',
    en: 'Account locked for a while after too many sign-in attempts; try again in {minutes} minutes',
  },
  LUMBUNG_ERR_OTP_INVALID: {
    status: 401,
    id: 'Kode masuk salah atau sudah kedaluwarsa; minta kode baru',
    en: 'Wrong or expired sign-in code; ask for a new one',
  },
  LUMBUNG_ERR_PROVISIONING_CODE_INVALID: {
    status: 401,
    id: 'Kode penyiapan perangkat salah, sudah dipakai atau kedaluwarsa; minta kode baru dari operator desa',
    en: 'Wrong, used or expired device provisioning code; ask the village operator for a new one',
  },
  LUMBUNG_ERR_FORBIDDEN: {
    status: 403,
    id: 'Akses ditolak',
    en: 'Access denied',
  },
  LUMBUNG_ERR_EDGE_REVOKED: {
    status: 403,
    id: 'Kotak desa "{edgeId}" sudah dicabut',
    en: 'Village box "{edgeId}" has been revoked',
  },
  LUMBUNG_ERR_NOT_FOUND: {
    status: 404,
    id: 'Alamat tidak ditemukan: {method} {url}',
    en: 'Route not found: {method} {url}',
  },
  LUMBUNG_ERR_VILLAGE_NOT_FOUND: {
    status: 404,
    id: 'Desa/kelurahan "{villageId}" tidak ditemukan',
    en: 'Village "{villageId}" not found',
  },
  LUMBUNG_ERR_SITE_NOT_FOUND: {
    status: 404,
    id: 'Lokasi "{siteId}" tidak ditemukan di desa ini',
    en: 'Site "{siteId}" not found in this village',
  },
  LUMBUNG_ERR_DEVICE_NOT_FOUND: {
    status: 404,
    id: 'Perangkat "{deviceId}" tidak ditemukan di desa ini',
    en: 'Device "{deviceId}" not found in this village',
  },
  LUMBUNG_ERR_ALERT_NOT_FOUND: {
    status: 404,
    id: 'Peringatan "{alertId}" tidak ditemukan di desa ini',
    en: 'Alert "{alertId}" not found in this village',
  },
  LUMBUNG_ERR_USER_NOT_FOUND: {
    status: 404,
    id: 'Pengguna "{userId}" tidak ditemukan di desa ini',
    en: 'User "{userId}" not found in this village',
  },
  LUMBUNG_ERR_TOKEN_NOT_FOUND: {
    status: 404,
    id: 'Token API "{tokenId}" tidak ditemukan',
    en: 'API token "{tokenId}" not found',
  },
  LUMBUNG_ERR_LOT_NOT_FOUND: {
    status: 404,
    id: 'Lot "{lotId}" tidak ditemukan di desa ini',
    en: 'Lot "{lotId}" not found in this village',
  },
  LUMBUNG_ERR_PRODUCT_NOT_FOUND: {
    status: 404,
    id: 'Produk "{productId}" tidak ditemukan di desa ini',
    en: 'Product "{productId}" not found in this village',
  },
  LUMBUNG_ERR_COOPERATIVE_NOT_FOUND: {
    status: 404,
    id: 'KUB "{cooperativeId}" tidak ditemukan di desa ini',
    en: 'Cooperative "{cooperativeId}" not found in this village',
  },
  LUMBUNG_ERR_PRODUCER_NOT_FOUND: {
    status: 404,
    id: 'Produsen "{producerId}" tidak ditemukan di desa ini',
    en: 'Producer "{producerId}" not found in this village',
  },
  LUMBUNG_ERR_ORDER_NOT_FOUND: {
    status: 404,
    id: 'Pesanan "{orderId}" tidak ditemukan di desa ini',
    en: 'Order "{orderId}" not found in this village',
  },
  LUMBUNG_ERR_SHIPMENT_NOT_FOUND: {
    status: 404,
    id: 'Pengiriman "{shipmentId}" tidak ditemukan di desa ini',
    en: 'Shipment "{shipmentId}" not found in this village',
  },
  LUMBUNG_ERR_REPORT_NOT_FOUND: {
    status: 404,
    id: 'Laporan "{reportId}" tidak ditemukan di desa ini',
    en: 'Report "{reportId}" not found in this village',
  },
  LUMBUNG_ERR_METRIC_UNKNOWN: {
    status: 404,
    id: 'Besaran "{metric}" tidak dikenal',
    en: 'Unknown metric "{metric}"',
  },
  LUMBUNG_ERR_CONFLICT: {
    status: 409,
    id: 'Tidak bisa: {detail}',
    en: 'Not possible: {detail}',
  },
  LUMBUNG_ERR_LOT_BLOCKED: {
    status: 409,
    id: 'Lot "{lotId}" berstatus {status} dan tidak boleh diambil atau dikirim',
    en: 'Lot "{lotId}" is {status} and may not be picked or shipped',
  },
  LUMBUNG_ERR_INSUFFICIENT_STOCK: {
    status: 409,
    id: 'Stok lot "{lotId}" di ruang "{roomId}" hanya {available}, kurang dari {requested}',
    en: 'Lot "{lotId}" has only {available} in room "{roomId}", less than {requested}',
  },
  LUMBUNG_ERR_SHELF_LIFE: {
    status: 409,
    id: 'Lot "{lotId}" tinggal {days} hari sebelum kedaluwarsa; paling sedikit {min} hari',
    en: 'Lot "{lotId}" has {days} days of shelf life left; at least {min} are needed',
  },
  LUMBUNG_ERR_LOT_EXISTS: {
    status: 409,
    id: 'Kode lot "{lotId}" sudah dipakai di desa ini',
    en: 'Lot code "{lotId}" is already used in this village',
  },
  LUMBUNG_ERR_REPORT_EXISTS: {
    status: 409,
    id: 'Laporan periode {from} s.d. {last} sudah ada; unduh dari daftar laporan',
    en: 'A report for {from} to {last} already exists; download it from the list of reports',
  },
  LUMBUNG_ERR_DEVICE_EXISTS: {
    status: 409,
    id: 'Perangkat "{deviceId}" sudah terdaftar (nomor perangkat berlaku untuk seluruh platform)',
    en: 'Device "{deviceId}" is already registered (device ids are unique across the platform)',
  },
  LUMBUNG_ERR_RATE_LIMITED: {
    status: 429,
    id: 'Terlalu banyak permintaan; coba lagi sebentar lagi',
    en: 'Too many requests; try again shortly',
  },
  LUMBUNG_ERR_STORE_UNAVAILABLE: {
    status: 503,
    id: 'Penyimpanan data sensor sedang tidak tersedia; coba lagi',
    en: 'The time-series store is unavailable; try again',
  },
  LUMBUNG_ERR_INTERNAL: {
    status: 500,
    id: 'Terjadi kesalahan di server (nomor kejadian {requestId})',
    en: 'Something went wrong on the server (incident {requestId})',
  },
} as const satisfies Record<string, { status: number; id: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A 400 for input a service refused, saying what was wrong. */
export function invalidInput(detail: string): ApiFailure {
  return new ApiFailure('LUMBUNG_ERR_VALIDATION', { detail });
}

/** A zod error's issues as one line: `field.path: message; …` (`body` for the whole value). */
export function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
}

/** The parsed value, or a 400 naming each field that failed. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw invalidInput(issuesOf(r.error));
  return r.data;
}

/**
 * A registry refusal inside a service, after the service's own checks: a taken id is a conflict (409), a
 * record the registry finds invalid or referring to nothing is the caller's input (400). The app's error
 * handler maps a `not_found` that escapes a route to 404 "route not found"; services answer for their
 * input here instead.
 */
export function registryFailure(err: unknown): never {
  if (err instanceof RegistryError) {
    if (err.kind === 'conflict') throw new ApiFailure('LUMBUNG_ERR_CONFLICT', { detail: err.message });
    if (err.kind === 'invalid' || err.kind === 'not_found') throw invalidInput(err.message);
  }
  throw err;
}
export type Language = 'id' | 'en';

export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(format(ERRORS[code].en, params));
    this.name = 'ApiFailure';
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  messageIn(lang: Language): string {
    return format(ERRORS[this.code][lang], this.params);
  }
}

function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/**
 * The language of a response from `Accept-Language` (RFC 9110 §12.5.4): the first of `id`/`en` by
 * quality; Bahasa Indonesia when neither is asked for, as the interface is Indonesian first.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return 'id';
  let best: { lang: Language; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.split('-')[0];
    if (primary !== 'id' && primary !== 'en' && primary !== 'in') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    // `in` is the withdrawn ISO 639 code for Indonesian that old Android versions still send.
    const lang: Language = primary === 'en' ? 'en' : 'id';
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? 'id';
}

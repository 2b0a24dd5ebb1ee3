/**
 * The supply-chain history of a lot as a GS1 EPCIS 2.0 JSON-LD document (issue 5). A pure function of
 * Lumbung's records: the API maps its database rows to `SupplyEvent`s and returns `epcisDocument()`.
 * docs/epcis.md is the mapping (which record becomes which event, identifiers, sensor reports, what is
 * left out); cloud/test/supply/epcis.test.ts validates every kind of event against GS1's JSON Schema.
 */

import { createHash } from 'node:crypto';
import { tzOffsetMs } from '@lumbung/schemas/time';
import { isValidLotCode, lotClassUri, normalizeBaseUrl } from './digital-link.ts';
import { type LotUnit, lotUnitUom, type Uom } from './uom.ts';

/** GS1's published JSON-LD context of EPCIS 2.0, as GS1's example documents cite it (pinned to 2.0.0). */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

// ---- Input: what the API maps its records to ----

export interface LotRef {
  villageId: string;
  /** Human-readable lot code, ≤ 20 characters of [A-Z0-9-] (GS1 AI 10). */
  lotId: string;
  productId: string;
  productName: string;
  /** GTIN-8/12/13/14 of the product, if it has one. */
  gtin?: string | null;
  unit: LotUnit;
  /** Expiry, local date YYYY-MM-DD (exported as ILMD `cbvmda:itemExpirationDate`). */
  expiresOn?: string | null;
}

export interface EpcisContext {
  /** The platform's public URL (https://lumbung.example): our location, party and lot identifiers live under it. */
  baseUrl: string;
  /** Epoch ms: the document's creationDate, and the end of a stay that has not ended yet. */
  createdAt: number;
}

export interface PartyRef {
  id: string;
  name: string;
}

export interface LotQuantity {
  lot: LotRef;
  quantity: number;
}

interface EventBase {
  /** The record's id, unique per kind within the village: the eventID is derived from it. */
  id: string;
  /** Epoch ms, UTC. */
  at: number;
  /** The village's IANA time zone, e.g. Asia/Jakarta. */
  tz: string;
  villageId: string;
}

export interface CommissioningRecord extends EventBase {
  kind: 'commissioning';
  lot: LotRef;
  quantity: number;
  producer: PartyRef;
  /** Plot (harvest) or kitchen where it was made; the village when absent. */
  originSiteId?: string | null;
}

export interface TransformationRecord extends EventBase {
  kind: 'transformation';
  inputs: LotQuantity[];
  outputs: LotQuantity[];
  /** Kitchen or workshop; the village when absent. */
  siteId?: string | null;
}

export interface StayConditions {
  /** °C over the stay. `mkt`: mean kinetic temperature (USP <1079.2>, ΔH = 83.144 kJ/mol, src/supply/mkt.ts). */
  temperature?: { min: number; max: number; mean: number; mkt?: number | null } | null;
  /** % relative humidity over the stay. */
  humidity?: { min: number; max: number; mean: number } | null;
  /** Devices whose readings the figures come from. */
  deviceIds?: string[];
}

export interface StoringRecord extends EventBase {
  kind: 'storing';
  lot: LotRef;
  quantity: number;
  roomId: string;
  /** `to` is absent while the lot is still in the room. */
  stay: { from: number; to?: number | null };
  conditions?: StayConditions | null;
}

export interface InspectingRecord extends EventBase {
  kind: 'inspecting';
  lot: LotRef;
  result: 'conformant' | 'non_conformant';
  sampleSize: number;
  defects: number;
  /** Acceptance quality limit, % nonconforming (ISO 2859-1). */
  aql: number;
  siteId?: string | null;
}

export interface PackingRecord extends EventBase {
  kind: 'packing';
  shipmentId: string;
  lots: LotQuantity[];
  orderId?: string | null;
  siteId?: string | null;
}

export interface ShippingRecord extends EventBase {
  kind: 'shipping';
  shipmentId: string;
  lots: LotQuantity[];
  buyer: PartyRef;
  /** The cooperative selling; sourceList stays empty when absent. */
  seller?: PartyRef | null;
  orderId?: string | null;
  siteId?: string | null;
}

export type HoldReason = 'inspection' | 'recall' | 'excursion' | 'manual';

export interface HoldingRecord extends EventBase {
  kind: 'holding';
  lot: LotRef;
  reason: HoldReason;
  /** Internal note: not exported (docs/epcis.md). */
  note?: string | null;
  siteId?: string | null;
}

export interface DisposingRecord extends EventBase {
  kind: 'disposing';
  lot: LotRef;
  quantity: number;
  reason: string;
  siteId?: string | null;
}

export type SupplyEvent =
  | CommissioningRecord
  | TransformationRecord
  | StoringRecord
  | InspectingRecord
  | PackingRecord
  | ShippingRecord
  | HoldingRecord
  | DisposingRecord;

// ---- Output: the EPCIS 2.0 JSON-LD shapes we write ----

export interface QuantityElement {
  epcClass: string;
  quantity?: number;
  uom?: Uom;
}

export interface SensorReport {
  type: 'Temperature' | 'RelativeHumidity';
  value?: number;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  uom: Uom;
  dataProcessingMethod?: string;
}

export interface SensorElement {
  sensorMetadata: {
    startTime: string;
    endTime: string;
    deviceID?: string;
    'lumbung:deviceIDs'?: string[];
  };
  sensorReport: SensorReport[];
}

export interface EpcisEvent {
  type: 'ObjectEvent' | 'AggregationEvent' | 'TransformationEvent';
  eventID: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  action?: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep?: string;
  disposition?: string;
  readPoint?: { id: string };
  bizLocation?: { id: string };
  parentID?: string;
  epcList?: string[];
  quantityList?: QuantityElement[];
  childQuantityList?: QuantityElement[];
  inputQuantityList?: QuantityElement[];
  outputQuantityList?: QuantityElement[];
  bizTransactionList?: { type: 'po'; bizTransaction: string }[];
  sourceList?: { type: 'owning_party' | 'location'; source: string }[];
  destinationList?: { type: 'owning_party' | 'location'; destination: string }[];
  sensorElementList?: SensorElement[];
  ilmd?: { 'cbvmda:lotNumber'?: string; 'cbvmda:itemExpirationDate'?: string };
  [extension: `lumbung:${string}`]: unknown;
}

export interface EpcisDocument {
  '@context': [typeof EPCIS_CONTEXT, { lumbung: string }];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

// ---- Identifiers ----

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16 || !/^[0-9a-f-]{36}$/i.test(namespace)) throw new Error(`not a UUID: ${namespace}`);
  const b = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RFC 4122 Appendix C: the namespace for names that are URLs. */
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Namespace of Lumbung's EPCIS event ids; changing it would change every eventID ever exported. */
export const EVENT_ID_NAMESPACE = uuidV5(NAMESPACE_URL, 'https://lumbung.example/ns/epcis/event');

/**
 * `urn:uuid:` of a UUID v5 over platform URL, village, kind and record id: the same record gives the same
 * eventID in every export, and two platforms with the same village and record ids do not collide. The CBV
 * 2.0 event hash (`ni:///sha-256;…?ver=CBV2.0`) would identify content instead, but needs its full
 * canonicalisation algorithm to be worth the name (docs/epcis.md).
 */
export function epcisEventId(baseUrl: string, e: Pick<SupplyEvent, 'kind' | 'id' | 'villageId'>): string {
  const base = normalizeBaseUrl(baseUrl);
  return `urn:uuid:${uuidV5(EVENT_ID_NAMESPACE, `${base}\n${e.villageId}\n${e.kind}\n${e.id}`)}`;
}

function seg(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new Error(`${what} ${JSON.stringify(value)} tidak valid / is not valid`);
  }
  return encodeURIComponent(value);
}

/** Our own location identifiers until villages have GLNs: the village, or one site (plot, room) in it. */
export function locationUri(baseUrl: string, villageId: string, siteId?: string | null): string {
  const village = `${normalizeBaseUrl(baseUrl)}/location/${seg('villageId', villageId)}`;
  return siteId ? `${village}/${seg('siteId', siteId)}` : village;
}

export type PartyRole = 'producer' | 'buyer' | 'cooperative';

/** Producers, buyers and cooperatives have separate id spaces, so the role is part of the URI. */
export function partyUri(baseUrl: string, villageId: string, role: PartyRole, id: string): string {
  return `${normalizeBaseUrl(baseUrl)}/party/${seg('villageId', villageId)}/${role}/${seg(`${role} id`, id)}`;
}

export function shipmentUri(baseUrl: string, villageId: string, shipmentId: string): string {
  return `${normalizeBaseUrl(baseUrl)}/shipment/${seg('villageId', villageId)}/${seg('shipmentId', shipmentId)}`;
}

export function orderUri(baseUrl: string, villageId: string, orderId: string): string {
  return `${normalizeBaseUrl(baseUrl)}/order/${seg('villageId', villageId)}/${seg('orderId', orderId)}`;
}

export function deviceUri(baseUrl: string, villageId: string, deviceId: string): string {
  return `${normalizeBaseUrl(baseUrl)}/device/${seg('villageId', villageId)}/${seg('deviceId', deviceId)}`;
}

/** Namespace of our extension fields (`lumbung:sampleSize`, …), declared in the document's @context. */
export function extensionNamespace(baseUrl: string): string {
  return `${normalizeBaseUrl(baseUrl)}/ns/epcis/`;
}

/** `dataProcessingMethod` of the sensor report that carries a stay's mean kinetic temperature. */
export function mktMethodUri(baseUrl: string): string {
  return `${extensionNamespace(baseUrl)}meanKineticTemperature`;
}

// ---- Time ----

function offsetMinutes(at: number, tz: string): number {
  try {
    return Math.round(tzOffsetMs(tz, at) / 60_000);
  } catch {
    throw new Error(`Zona waktu ${JSON.stringify(tz)} tidak dikenal / unknown time zone ${JSON.stringify(tz)}`);
  }
}

/** `+07:00` for Asia/Jakarta: the zone's offset at that instant (from the tz database, so DST is right too). */
export function timeZoneOffset(at: number, tz: string): string {
  const m = offsetMinutes(at, tz);
  const abs = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** ISO 8601 local time with the zone's offset, e.g. 2026-11-15T08:30:00.000+07:00. */
export function localIsoTime(at: number, tz: string): string {
  if (!Number.isFinite(at) || at < 0 || at > 253_402_300_799_999) {
    throw new Error(`Waktu ${JSON.stringify(at)} tidak valid / time ${JSON.stringify(at)} is not valid (epoch ms)`);
  }
  const m = offsetMinutes(at, tz);
  return new Date(at + m * 60_000).toISOString().replace('Z', timeZoneOffset(at, tz));
}

function isLocalDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

// ---- Building blocks ----

function positive(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`${what} ${JSON.stringify(n)} harus angka positif / must be a positive number`);
  }
  return n;
}

function text(what: string, s: unknown, max: number): string {
  if (typeof s !== 'string' || s.trim() === '' || s.length > max) {
    throw new Error(`${what} harus teks 1-${max} karakter / must be text of 1-${max} characters`);
  }
  return s.trim();
}

function nonNegativeInt(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new Error(`${what} ${JSON.stringify(n)} harus bilangan bulat ≥ 0 / must be an integer ≥ 0`);
  }
  return n;
}

function classOf(base: string, lot: LotRef): string {
  if (!isValidLotCode(lot.lotId)) {
    throw new Error(`Kode lot ${JSON.stringify(lot.lotId)} tidak valid / lot code is not valid`);
  }
  return lotClassUri({ baseUrl: base, villageId: lot.villageId, lotId: lot.lotId, gtin: lot.gtin });
}

function quantityElement(base: string, lot: LotRef, quantity?: number): QuantityElement {
  const q: QuantityElement = { epcClass: classOf(base, lot) };
  if (quantity === undefined) return q;
  q.quantity = positive(`Jumlah lot ${lot.lotId} / quantity of lot ${lot.lotId}`, quantity);
  const uom = lotUnitUom(lot.unit);
  if (uom) q.uom = uom;
  return q;
}

function quantityList(base: string, what: string, lots: LotQuantity[]): QuantityElement[] {
  if (!Array.isArray(lots) || lots.length === 0) throw new Error(`${what} kosong / ${what} is empty`);
  return lots.map((l) => quantityElement(base, l.lot, l.quantity));
}

function lotIlmd(lot: LotRef): NonNullable<EpcisEvent['ilmd']> {
  const ilmd: NonNullable<EpcisEvent['ilmd']> = { 'cbvmda:lotNumber': lot.lotId };
  if (lot.expiresOn) {
    if (!isLocalDate(lot.expiresOn)) throw new Error(`expiresOn ${JSON.stringify(lot.expiresOn)}: YYYY-MM-DD`);
    ilmd['cbvmda:itemExpirationDate'] = lot.expiresOn;
  }
  return ilmd;
}

function stat(what: string, s: { min: number; max: number; mean: number }): void {
  for (const k of ['min', 'max', 'mean'] as const) {
    if (typeof s[k] !== 'number' || !Number.isFinite(s[k]))
      throw new Error(`${what}.${k} bukan angka / is not a number`);
  }
  // Means computed by the store may sit an ulp outside [min, max] when every reading is equal.
  const eps = 1e-9 * Math.max(1, Math.abs(s.max), Math.abs(s.min));
  if (s.min > s.max || s.mean < s.min - eps || s.mean > s.max + eps) {
    throw new Error(`${what}: perlu min ≤ rata-rata ≤ max / needs min ≤ mean ≤ max, got ${JSON.stringify(s)}`);
  }
}

/**
 * One sensorElement for the stay: its interval (to the export time while the lot is still in the room) and
 * min/max/mean per quantity, as GS1's SensorDataExample3 reports a storage room's interval. MKT goes in its
 * own Temperature report whose `dataProcessingMethod` says how the value was computed.
 */
function staySensorElement(ctx: EpcisContext, base: string, e: StoringRecord): SensorElement | undefined {
  const c = e.conditions;
  if (!c) return undefined;
  const reports: SensorReport[] = [];
  if (c.temperature) {
    stat('temperature', c.temperature);
    const t = c.temperature;
    reports.push({ type: 'Temperature', minValue: t.min, maxValue: t.max, meanValue: t.mean, uom: 'CEL' });
    if (t.mkt !== undefined && t.mkt !== null) {
      if (!Number.isFinite(t.mkt)) throw new Error('temperature.mkt bukan angka / is not a number');
      reports.push({ type: 'Temperature', value: t.mkt, uom: 'CEL', dataProcessingMethod: mktMethodUri(base) });
    }
  }
  if (c.humidity) {
    stat('humidity', c.humidity);
    const h = c.humidity;
    reports.push({ type: 'RelativeHumidity', minValue: h.min, maxValue: h.max, meanValue: h.mean, uom: 'P1' });
  }
  if (reports.length === 0) return undefined;

  const from = e.stay.from;
  const to = e.stay.to ?? Math.max(ctx.createdAt, from);
  if (to < from) throw new Error(`Masa simpan berakhir sebelum mulai / stay ends before it starts (${from} > ${to})`);
  const sensorMetadata: SensorElement['sensorMetadata'] = {
    startTime: localIsoTime(from, e.tz),
    endTime: localIsoTime(to, e.tz),
  };
  const devices = [...new Set(c.deviceIds ?? [])].map((d) => deviceUri(base, e.villageId, d));
  // sensorMetadata has room for one deviceID; figures pooled from several devices list them in an extension.
  if (devices.length === 1) sensorMetadata.deviceID = devices[0]!;
  else if (devices.length > 1) sensorMetadata['lumbung:deviceIDs'] = devices;
  return { sensorMetadata, sensorReport: reports };
}

function header(base: string, e: SupplyEvent, type: EpcisEvent['type']): EpcisEvent {
  seg('id', e.id);
  seg('villageId', e.villageId);
  return {
    type,
    eventID: epcisEventId(base, e),
    eventTime: localIsoTime(e.at, e.tz),
    eventTimeZoneOffset: timeZoneOffset(e.at, e.tz),
  };
}

function place(
  base: string,
  e: SupplyEvent,
  siteId: string | null | undefined,
): Pick<EpcisEvent, 'readPoint' | 'bizLocation'> {
  const id = locationUri(base, e.villageId, siteId);
  return { readPoint: { id }, bizLocation: { id } };
}

/** The KUB bulk order behind a packing or shipment, as the CBV business transaction type `po`. */
function purchaseOrder(base: string, villageId: string, orderId: string): EpcisEvent['bizTransactionList'] {
  return [{ type: 'po', bizTransaction: orderUri(base, villageId, orderId) }];
}

const HOLD_DISPOSITION: Record<HoldReason, string> = {
  inspection: 'non_sellable_other',
  excursion: 'non_sellable_other',
  manual: 'non_sellable_other',
  recall: 'recalled',
};

/** One Lumbung record as one EPCIS event (docs/epcis.md has the table). */
export function epcisEvent(ctx: EpcisContext, e: SupplyEvent): EpcisEvent {
  const base = normalizeBaseUrl(ctx.baseUrl);
  switch (e.kind) {
    case 'commissioning':
      return {
        ...header(base, e, 'ObjectEvent'),
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        ...place(base, e, e.originSiteId),
        quantityList: [quantityElement(base, e.lot, e.quantity)],
        // The producer owns what they just made: the destination of the event in CBV terms.
        destinationList: [
          { type: 'owning_party', destination: partyUri(base, e.villageId, 'producer', e.producer.id) },
        ],
        ilmd: lotIlmd(e.lot),
      };

    case 'transformation': {
      const event: EpcisEvent = {
        ...header(base, e, 'TransformationEvent'),
        // CBV has no "transforming" step; GS1's own TransformationEvent example commissions the outputs.
        bizStep: 'commissioning',
        disposition: 'active',
        ...place(base, e, e.siteId),
        inputQuantityList: quantityList(base, 'inputs', e.inputs),
        outputQuantityList: quantityList(base, 'outputs', e.outputs),
      };
      // ILMD describes every output, so it is only written when there is one output lot.
      const outputLots = new Set(e.outputs.map((o) => classOf(base, o.lot)));
      if (outputLots.size === 1) event.ilmd = lotIlmd(e.outputs[0]!.lot);
      return event;
    }

    case 'storing': {
      seg('roomId', e.roomId);
      const event: EpcisEvent = {
        ...header(base, e, 'ObjectEvent'),
        action: 'OBSERVE',
        bizStep: 'storing',
        disposition: 'in_progress',
        ...place(base, e, e.roomId),
        quantityList: [quantityElement(base, e.lot, e.quantity)],
      };
      const element = staySensorElement(ctx, base, e);
      if (element) event.sensorElementList = [element];
      return event;
    }

    case 'inspecting':
      if (e.result !== 'conformant' && e.result !== 'non_conformant') {
        throw new Error(`Hasil pemeriksaan ${JSON.stringify(e.result)} tidak dikenal / unknown inspection result`);
      }
      return {
        ...header(base, e, 'ObjectEvent'),
        action: 'OBSERVE',
        bizStep: 'inspecting',
        disposition: e.result,
        ...place(base, e, e.siteId),
        quantityList: [quantityElement(base, e.lot)],
        'lumbung:sampleSize': nonNegativeInt('sampleSize', e.sampleSize),
        'lumbung:defects': nonNegativeInt('defects', e.defects),
        'lumbung:aql': positive('aql', e.aql),
      };

    case 'holding': {
      const disposition = HOLD_DISPOSITION[e.reason];
      if (!disposition) throw new Error(`Alasan tahan ${JSON.stringify(e.reason)} tidak dikenal / unknown hold reason`);
      return {
        ...header(base, e, 'ObjectEvent'),
        action: 'OBSERVE',
        bizStep: 'holding',
        disposition,
        ...place(base, e, e.siteId),
        quantityList: [quantityElement(base, e.lot)],
        'lumbung:holdReason': e.reason,
      };
    }

    case 'disposing':
      return {
        ...header(base, e, 'ObjectEvent'),
        // OBSERVE, not DELETE: a part of the lot is destroyed and the rest lives on under the same class.
        action: 'OBSERVE',
        bizStep: 'destroying',
        disposition: 'destroyed',
        ...place(base, e, e.siteId),
        quantityList: [quantityElement(base, e.lot, e.quantity)],
        'lumbung:disposalReason': text('reason', e.reason, 300),
      };

    case 'packing': {
      const event: EpcisEvent = {
        ...header(base, e, 'AggregationEvent'),
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        ...place(base, e, e.siteId),
        parentID: shipmentUri(base, e.villageId, e.shipmentId),
        childQuantityList: quantityList(base, 'lots', e.lots),
      };
      if (e.orderId) event.bizTransactionList = purchaseOrder(base, e.villageId, e.orderId);
      return event;
    }

    case 'shipping': {
      const event: EpcisEvent = {
        ...header(base, e, 'ObjectEvent'),
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        // No bizLocation: after this event the goods are in transit, at no business location of ours.
        readPoint: { id: locationUri(base, e.villageId, e.siteId) },
        epcList: [shipmentUri(base, e.villageId, e.shipmentId)],
        quantityList: quantityList(base, 'lots', e.lots),
      };
      if (e.orderId) event.bizTransactionList = purchaseOrder(base, e.villageId, e.orderId);
      if (e.seller) {
        event.sourceList = [{ type: 'owning_party', source: partyUri(base, e.villageId, 'cooperative', e.seller.id) }];
      }
      event.destinationList = [{ type: 'owning_party', destination: partyUri(base, e.villageId, 'buyer', e.buyer.id) }];
      return event;
    }

    default: {
      const never: never = e;
      throw new Error(
        `Jenis kejadian tidak dikenal / unknown event kind ${JSON.stringify((never as SupplyEvent).kind)}`,
      );
    }
  }
}

/**
 * The EPCISDocument of a lot's history: events in time order (ties keep the given order), each with an
 * eventID that is stable across exports. Throws an Error (Bahasa Indonesia / English) on input that would
 * make an invalid or misleading document: bad lot codes or GTINs, unknown time zones, non-positive
 * quantities, min > max, two records that map to the same eventID.
 */
export function epcisDocument(ctx: EpcisContext, events: SupplyEvent[]): EpcisDocument {
  const base = normalizeBaseUrl(ctx.baseUrl);
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  const eventList = ordered.map(({ e }) => epcisEvent(ctx, e));
  const seen = new Set<string>();
  for (const [k, ev] of eventList.entries()) {
    if (seen.has(ev.eventID)) {
      const { kind, id } = ordered[k]!.e;
      throw new Error(`Kejadian ganda / duplicate event: ${kind} ${JSON.stringify(id)}`);
    }
    seen.add(ev.eventID);
  }
  return {
    '@context': [EPCIS_CONTEXT, { lumbung: extensionNamespace(base) }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    // UTC with "Z", as GS1's examples write creationDate; localIsoTime() checks the number first.
    creationDate: localIsoTime(ctx.createdAt, 'UTC').replace('+00:00', 'Z'),
    epcisBody: { eventList },
  };
}

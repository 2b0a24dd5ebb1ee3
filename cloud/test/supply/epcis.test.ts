import { readFileSync } from 'node:fs';
import { PRODUCT_UNITS } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import {
  EPCIS_CONTEXT,
  type EpcisContext,
  type EpcisDocument,
  type EpcisEvent,
  EVENT_ID_NAMESPACE,
  epcisDocument,
  epcisEventId,
  type LotRef,
  localIsoTime,
  type SupplyEvent,
  timeZoneOffset,
  uuidV5,
} from '../../src/supply/epcis.ts';
import { assertUom, isUom, lotUnitUom, REC20_UNITS } from '../../src/supply/uom.ts';
import { epcisValidator } from './epcis-validator.ts';

const validate = epcisValidator();
const GS1_EXAMPLES = ['SensorDataExample1', 'SensorDataExample3', 'SensorDataExample13'] as const;

// biome-ignore lint/suspicious/noExplicitAny: GS1's fixtures are parsed JSON that the tests break on purpose.
type Json = any;

function gs1Example(name: (typeof GS1_EXAMPLES)[number]): Json {
  return JSON.parse(readFileSync(new URL(`../reference/epcis/${name}.json`, import.meta.url), 'utf8'));
}

/** What the API sends: the document through JSON, so nothing undefined or non-JSON slips past the schema. */
function wire(doc: EpcisDocument): EpcisDocument {
  return JSON.parse(JSON.stringify(doc));
}

const utc = (iso: string) => Date.parse(iso);
const ctx: EpcisContext = { baseUrl: 'https://lumbung.example', createdAt: utc('2026-11-26T03:00:00Z') };
const V = 'sukamaju';
const TZ = 'Asia/Jakarta';

const duckEggs1: LotRef = {
  villageId: V,
  lotId: 'TB-261101-01',
  productId: 'telur-bebek',
  productName: 'Telur bebek',
  unit: 'pcs',
};
const duckEggs2: LotRef = { ...duckEggs1, lotId: 'TB-261101-02' };
const salt: LotRef = { villageId: V, lotId: 'GRM-261020-01', productId: 'garam', productName: 'Garam', unit: 'kg' };
const telurAsin: LotRef = {
  villageId: V,
  lotId: 'TA-261115-01',
  productId: 'telur-asin',
  productName: 'Telur asin',
  gtin: '09506000134352',
  unit: 'pack',
  expiresOn: '2026-12-15',
};

/** Salted duck eggs from two members' duck eggs and the KUB's salt, stored, checked, held, packed and shipped. */
function telurAsinHistory(): SupplyEvent[] {
  return [
    {
      kind: 'commissioning',
      id: 'lot-TB-261101-01',
      at: utc('2026-11-01T01:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: duckEggs1,
      quantity: 300,
      producer: { id: 'bu-siti', name: 'Bu Siti' },
      originSiteId: 'kandang-siti',
    },
    {
      kind: 'commissioning',
      id: 'lot-TB-261101-02',
      at: utc('2026-11-01T02:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: duckEggs2,
      quantity: 200,
      producer: { id: 'pak-budi', name: 'Pak Budi' },
    },
    {
      kind: 'commissioning',
      id: 'lot-GRM-261020-01',
      at: utc('2026-10-20T03:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: salt,
      quantity: 12.5,
      producer: { id: 'kub-makmur', name: 'KUB Makmur' },
    },
    {
      kind: 'transformation',
      id: 'lot-TA-261115-01',
      at: utc('2026-11-15T02:00:00Z'),
      tz: TZ,
      villageId: V,
      inputs: [
        { lot: duckEggs1, quantity: 300 },
        { lot: duckEggs2, quantity: 200 },
        { lot: salt, quantity: 12.5 },
      ],
      outputs: [{ lot: telurAsin, quantity: 100 }],
      siteId: 'dapur-bersama',
    },
    {
      kind: 'storing',
      id: 'mv-1',
      at: utc('2026-11-15T03:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: telurAsin,
      quantity: 100,
      roomId: 'ruang-simpan-1',
      stay: { from: utc('2026-11-15T03:00:00Z'), to: utc('2026-11-20T03:00:00Z') },
      conditions: {
        temperature: { min: 26.1, max: 31.4, mean: 28.2, mkt: 28.6 },
        humidity: { min: 61, max: 78.5, mean: 70.2 },
        deviceIds: ['th-01'],
      },
    },
    {
      kind: 'storing',
      id: 'mv-2',
      at: utc('2026-11-20T03:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: telurAsin,
      quantity: 98,
      roomId: 'ruang-dingin',
      stay: { from: utc('2026-11-20T03:00:00Z') },
      conditions: { temperature: { min: 11.8, max: 14.9, mean: 12.6 }, deviceIds: ['th-02', 'th-03'] },
    },
    {
      kind: 'inspecting',
      id: 'insp-1',
      at: utc('2026-11-21T02:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: telurAsin,
      result: 'conformant',
      sampleSize: 20,
      defects: 1,
      aql: 2.5,
    },
    {
      kind: 'holding',
      id: 'hold-1',
      at: utc('2026-11-22T02:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: telurAsin,
      reason: 'excursion',
      note: 'AC mati semalam',
    },
    {
      kind: 'packing',
      id: 'kirim-01',
      at: utc('2026-11-23T02:00:00Z'),
      tz: TZ,
      villageId: V,
      shipmentId: 'kirim-01',
      lots: [{ lot: telurAsin, quantity: 80 }],
      orderId: 'po-2026-11',
      siteId: 'rumah-kemasan',
    },
    {
      kind: 'shipping',
      id: 'kirim-01',
      at: utc('2026-11-24T01:30:00Z'),
      tz: TZ,
      villageId: V,
      shipmentId: 'kirim-01',
      lots: [{ lot: telurAsin, quantity: 80 }],
      buyer: { id: 'toko-segar', name: 'Toko Segar' },
      seller: { id: 'kub-makmur', name: 'KUB Makmur' },
      orderId: 'po-2026-11',
      siteId: 'rumah-kemasan',
    },
    {
      kind: 'disposing',
      id: 'mv-9',
      at: utc('2026-11-25T02:00:00Z'),
      tz: TZ,
      villageId: V,
      lot: telurAsin,
      quantity: 2,
      reason: 'Cangkang retak',
    },
  ];
}

function byId(doc: EpcisDocument, events: SupplyEvent[], kind: string, id: string): EpcisEvent {
  const e = events.find((x) => x.kind === kind && x.id === id)!;
  const eventID = epcisEventId(ctx.baseUrl, e);
  const found = doc.epcisBody.eventList.find((x) => x.eventID === eventID);
  if (!found) throw new Error(`no event for ${kind} ${id}`);
  return found;
}

describe('the EPCIS validator (GS1 JSON Schema + UN/CEFACT Rec 20)', () => {
  it.each(GS1_EXAMPLES)('accepts GS1 example %s (gs1/EPCIS JSON/WithSensorData)', (name) => {
    expect(validate(gs1Example(name)).errors).toEqual([]);
  });

  it('rejects a bare non-CBV bizStep ("drying") and accepts the CBV short name and a full URI', () => {
    const doc = gs1Example('SensorDataExample3');
    doc.epcisBody.eventList[0].bizStep = 'drying';
    const r = validate(doc);
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toMatch(/\/epcisBody\/eventList\/0\/bizStep/);
    doc.epcisBody.eventList[0].bizStep = 'commissioning';
    expect(validate(doc).errors).toEqual([]);
    doc.epcisBody.eventList[0].bizStep = 'https://lumbung.example/ns/epcis/drying';
    expect(validate(doc).errors).toEqual([]);
  });

  it('rejects an event without eventTime', () => {
    const doc = gs1Example('SensorDataExample1');
    delete doc.epcisBody.eventList[0].eventTime;
    const r = validate(doc);
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toMatch(/must have required property 'eventTime'/);
  });

  it('rejects an epcClass that is not a URI (format checking is on)', () => {
    const doc = gs1Example('SensorDataExample13');
    doc.epcisBody.eventList[0].quantityList = [{ epcClass: 'TA 261115 01', quantity: 3 }];
    const r = validate(doc);
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toMatch(/quantityList\/0\/epcClass must match format "uri"/);
  });

  it('rejects a full GS1 Web Vocabulary URI as sensor type (the schema wants the bare name)', () => {
    const doc = gs1Example('SensorDataExample3');
    doc.epcisBody.eventList[0].sensorElementList[0].sensorReport[0].type = 'https://gs1.org/voc/Temperature';
    expect(validate(doc).valid).toBe(false);
  });

  it('catches a uom the schema lets through: unknown codes in sensor reports and quantities', () => {
    const doc = gs1Example('SensorDataExample1');
    doc.epcisBody.eventList[0].sensorElementList[0].sensorReport[0].uom = 'CELSIUS';
    doc.epcisBody.eventList[0].quantityList = [
      { epcClass: 'https://id.gs1.org/01/09506000134352', quantity: 1, uom: 'XYZ' },
    ];
    const r = validate(doc);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      '/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/uom "CELSIUS" is not a UN/CEFACT Rec 20 code we know (uom.ts)',
      '/epcisBody/eventList/0/quantityList/0/uom "XYZ" is not a UN/CEFACT Rec 20 code we know (uom.ts)',
    ]);
  });
});

describe('epcisDocument: the history of a lot of telur asin', () => {
  const events = telurAsinHistory();
  const doc = epcisDocument(ctx, events);

  it('validates against GS1 EPCIS 2.0 JSON Schema, with every uom a Rec 20 code', () => {
    expect(validate(wire(doc)).errors).toEqual([]);
  });

  it('is an EPCISDocument with GS1 context, our extension prefix and the events in time order', () => {
    expect(doc['@context']).toEqual([EPCIS_CONTEXT, { lumbung: 'https://lumbung.example/ns/epcis/' }]);
    expect(doc.type).toBe('EPCISDocument');
    expect(doc.schemaVersion).toBe('2.0');
    expect(doc.creationDate).toBe('2026-11-26T03:00:00.000Z');
    const times = doc.epcisBody.eventList.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(doc.epcisBody.eventList.map((e) => `${e.type}:${e.bizStep}:${e.disposition}`)).toEqual([
      'ObjectEvent:commissioning:active', // salt, 20 October
      'ObjectEvent:commissioning:active',
      'ObjectEvent:commissioning:active',
      'TransformationEvent:commissioning:active',
      'ObjectEvent:storing:in_progress',
      'ObjectEvent:storing:in_progress',
      'ObjectEvent:inspecting:conformant',
      'ObjectEvent:holding:non_sellable_other',
      'AggregationEvent:packing:in_progress',
      'ObjectEvent:shipping:in_transit',
      'ObjectEvent:destroying:destroyed',
    ]);
  });

  it('writes local time with the village offset (WIB, UTC+7)', () => {
    const e = byId(doc, events, 'commissioning', 'lot-TB-261101-01');
    expect(e.eventTime).toBe('2026-11-01T08:00:00.000+07:00');
    expect(e.eventTimeZoneOffset).toBe('+07:00');
    expect(Date.parse(e.eventTime)).toBe(utc('2026-11-01T01:00:00Z'));
  });

  it('commissions a lot with ADD, its quantity, the producer as owner and the ILMD lot number', () => {
    const e = byId(doc, events, 'commissioning', 'lot-TB-261101-01');
    expect(e).toMatchObject({
      action: 'ADD',
      readPoint: { id: 'https://lumbung.example/location/sukamaju/kandang-siti' },
      bizLocation: { id: 'https://lumbung.example/location/sukamaju/kandang-siti' },
      quantityList: [{ epcClass: 'https://lumbung.example/lot/sukamaju/TB-261101-01', quantity: 300 }],
      destinationList: [
        { type: 'owning_party', destination: 'https://lumbung.example/party/sukamaju/producer/bu-siti' },
      ],
      ilmd: { 'cbvmda:lotNumber': 'TB-261101-01' },
    });
    // Eggs are counted: no uom. Salt is weighed: KGM.
    expect(e.quantityList![0]).not.toHaveProperty('uom');
    expect(byId(doc, events, 'commissioning', 'lot-GRM-261020-01').quantityList).toEqual([
      { epcClass: 'https://lumbung.example/lot/sukamaju/GRM-261020-01', quantity: 12.5, uom: 'KGM' },
    ]);
    // Without originSiteId the village itself is the place.
    expect(byId(doc, events, 'commissioning', 'lot-TB-261101-02').readPoint).toEqual({
      id: 'https://lumbung.example/location/sukamaju',
    });
  });

  it('transforms duck eggs and salt into telur asin identified by GTIN + lot on id.gs1.org', () => {
    const e = byId(doc, events, 'transformation', 'lot-TA-261115-01');
    expect(e).not.toHaveProperty('action');
    expect(e.inputQuantityList).toEqual([
      { epcClass: 'https://lumbung.example/lot/sukamaju/TB-261101-01', quantity: 300 },
      { epcClass: 'https://lumbung.example/lot/sukamaju/TB-261101-02', quantity: 200 },
      { epcClass: 'https://lumbung.example/lot/sukamaju/GRM-261020-01', quantity: 12.5, uom: 'KGM' },
    ]);
    expect(e.outputQuantityList).toEqual([
      { epcClass: 'https://id.gs1.org/01/09506000134352/10/TA-261115-01', quantity: 100 },
    ]);
    expect(e.ilmd).toEqual({ 'cbvmda:lotNumber': 'TA-261115-01', 'cbvmda:itemExpirationDate': '2026-12-15' });
  });

  it('reports a closed stay as min/max/mean per quantity over the stay, MKT as its own Temperature report', () => {
    const e = byId(doc, events, 'storing', 'mv-1');
    expect(e.readPoint).toEqual({ id: 'https://lumbung.example/location/sukamaju/ruang-simpan-1' });
    expect(e.sensorElementList).toEqual([
      {
        sensorMetadata: {
          startTime: '2026-11-15T10:00:00.000+07:00',
          endTime: '2026-11-20T10:00:00.000+07:00',
          deviceID: 'https://lumbung.example/device/sukamaju/th-01',
        },
        sensorReport: [
          { type: 'Temperature', minValue: 26.1, maxValue: 31.4, meanValue: 28.2, uom: 'CEL' },
          {
            type: 'Temperature',
            value: 28.6,
            uom: 'CEL',
            dataProcessingMethod: 'https://lumbung.example/ns/epcis/meanKineticTemperature',
          },
          { type: 'RelativeHumidity', minValue: 61, maxValue: 78.5, meanValue: 70.2, uom: 'P1' },
        ],
      },
    ]);
  });

  it('ends a stay that is still going at the export time and lists pooled devices in an extension', () => {
    const e = byId(doc, events, 'storing', 'mv-2');
    expect(e.sensorElementList).toEqual([
      {
        sensorMetadata: {
          startTime: '2026-11-20T10:00:00.000+07:00',
          endTime: '2026-11-26T10:00:00.000+07:00',
          'lumbung:deviceIDs': [
            'https://lumbung.example/device/sukamaju/th-02',
            'https://lumbung.example/device/sukamaju/th-03',
          ],
        },
        sensorReport: [{ type: 'Temperature', minValue: 11.8, maxValue: 14.9, meanValue: 12.6, uom: 'CEL' }],
      },
    ]);
  });

  it('records the inspection result as disposition and the sample in extension fields', () => {
    expect(byId(doc, events, 'inspecting', 'insp-1')).toMatchObject({
      action: 'OBSERVE',
      quantityList: [{ epcClass: 'https://id.gs1.org/01/09506000134352/10/TA-261115-01' }],
      'lumbung:sampleSize': 20,
      'lumbung:defects': 1,
      'lumbung:aql': 2.5,
    });
  });

  it('records a failed inspection as non_conformant', () => {
    const failed = epcisDocument(ctx, [
      { ...(events[6] as SupplyEvent & { kind: 'inspecting' }), result: 'non_conformant', defects: 4 },
    ]);
    expect(failed.epcisBody.eventList[0]).toMatchObject({ disposition: 'non_conformant', 'lumbung:defects': 4 });
    expect(validate(wire(failed)).errors).toEqual([]);
  });

  it('holds with the reason code and leaves the internal note out; a recall is disposition recalled', () => {
    const e = byId(doc, events, 'holding', 'hold-1');
    expect(e['lumbung:holdReason']).toBe('excursion');
    expect(JSON.stringify(doc)).not.toContain('AC mati');
    const recall = epcisDocument(ctx, [{ ...(events[7] as SupplyEvent & { kind: 'holding' }), reason: 'recall' }]);
    expect(recall.epcisBody.eventList[0]!.disposition).toBe('recalled');
    expect(validate(wire(recall)).errors).toEqual([]);
  });

  it('packs lots into the shipment (AggregationEvent ADD) and ships it to the buyer without bizLocation', () => {
    const shipment = 'https://lumbung.example/shipment/sukamaju/kirim-01';
    const po = [{ type: 'po', bizTransaction: 'https://lumbung.example/order/sukamaju/po-2026-11' }];
    expect(byId(doc, events, 'packing', 'kirim-01')).toMatchObject({
      action: 'ADD',
      parentID: shipment,
      childQuantityList: [{ epcClass: 'https://id.gs1.org/01/09506000134352/10/TA-261115-01', quantity: 80 }],
      bizTransactionList: po,
    });
    const ship = byId(doc, events, 'shipping', 'kirim-01');
    expect(ship).toMatchObject({
      action: 'OBSERVE',
      epcList: [shipment],
      bizTransactionList: po,
      sourceList: [{ type: 'owning_party', source: 'https://lumbung.example/party/sukamaju/cooperative/kub-makmur' }],
      destinationList: [
        { type: 'owning_party', destination: 'https://lumbung.example/party/sukamaju/buyer/toko-segar' },
      ],
    });
    expect(ship).not.toHaveProperty('bizLocation');
  });

  it('validates every kind of event alone, each in its own document', () => {
    for (const e of events) {
      const one = epcisDocument(ctx, [e]);
      expect({ kind: e.kind, id: e.id, errors: validate(wire(one)).errors }).toEqual({
        kind: e.kind,
        id: e.id,
        errors: [],
      });
    }
  });

  it('keeps ilmd off a transformation with several output lots (ILMD would describe them all)', () => {
    const t = events[3] as SupplyEvent & { kind: 'transformation' };
    const two = epcisDocument(ctx, [
      { ...t, outputs: [...t.outputs, { lot: { ...telurAsin, lotId: 'TA-261115-02' }, quantity: 5 }] },
    ]);
    expect(two.epcisBody.eventList[0]).not.toHaveProperty('ilmd');
    expect(validate(wire(two)).errors).toEqual([]);
  });
});

describe('event identifiers', () => {
  it('UUID v5 matches the Python documentation example uuid5(NAMESPACE_DNS, "python.org")', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('are the same in every export, whatever the input order (values computed with Python uuid.uuid5)', () => {
    expect(EVENT_ID_NAMESPACE).toBe('7485a1e1-68f6-5259-90f6-54480d60f2b3');
    expect(epcisEventId('https://lumbung.example/', { kind: 'commissioning', id: 'c-1', villageId: V })).toBe(
      'urn:uuid:fbf2420f-6268-5c76-8f28-e423bf18bd1f',
    );
    const a = epcisDocument(ctx, telurAsinHistory());
    const b = epcisDocument({ ...ctx, createdAt: ctx.createdAt + 1 }, telurAsinHistory().reverse());
    const ids = (d: EpcisDocument) => d.epcisBody.eventList.map((e) => e.eventID);
    expect(ids(b)).toEqual(ids(a));
    expect(new Set(ids(a)).size).toBe(a.epcisBody.eventList.length);
  });

  it('differ by record, kind and platform', () => {
    const e = { kind: 'packing', id: 'kirim-01', villageId: V } as const;
    const id = epcisEventId(ctx.baseUrl, e);
    expect(epcisEventId(ctx.baseUrl, { ...e, kind: 'shipping' })).not.toBe(id);
    expect(epcisEventId(ctx.baseUrl, { ...e, id: 'kirim-02' })).not.toBe(id);
    expect(epcisEventId(ctx.baseUrl, { ...e, villageId: 'sukamakmur' })).not.toBe(id);
    expect(epcisEventId('https://other.example', e)).not.toBe(id);
  });
});

describe('time zones (computed from the IANA zone at the instant)', () => {
  it.each([
    ['Asia/Jakarta', '2026-11-01T01:00:00Z', '+07:00', '2026-11-01T08:00:00.000+07:00'],
    ['Asia/Makassar', '2026-11-01T01:00:00Z', '+08:00', '2026-11-01T09:00:00.000+08:00'],
    ['Asia/Jayapura', '2026-11-01T16:30:00Z', '+09:00', '2026-11-02T01:30:00.000+09:00'],
    ['Asia/Kathmandu', '2026-11-01T01:00:00Z', '+05:45', '2026-11-01T06:45:00.000+05:45'],
    ['Europe/Amsterdam', '2026-07-01T12:00:00Z', '+02:00', '2026-07-01T14:00:00.000+02:00'],
    ['Europe/Amsterdam', '2026-01-15T12:00:00Z', '+01:00', '2026-01-15T13:00:00.000+01:00'],
    ['America/St_Johns', '2026-01-15T12:00:00Z', '-03:30', '2026-01-15T08:30:00.000-03:30'],
    ['UTC', '2026-01-15T12:00:00Z', '+00:00', '2026-01-15T12:00:00.000+00:00'],
  ])('%s at %s is %s', (tz, iso, offset, local) => {
    expect(timeZoneOffset(utc(iso), tz)).toBe(offset);
    expect(localIsoTime(utc(iso), tz)).toBe(local);
    expect(Date.parse(local)).toBe(utc(iso));
  });

  it('refuses an unknown zone', () => {
    expect(() => timeZoneOffset(0, 'Asia/Bandung')).toThrow(/unknown time zone "Asia\/Bandung"/);
  });
});

describe('epcisDocument refuses input that would make a wrong document', () => {
  const base = telurAsinHistory();
  const storing = base[4] as SupplyEvent & { kind: 'storing' };
  const commissioning = base[0] as SupplyEvent & { kind: 'commissioning' };

  it.each<[string, SupplyEvent, RegExp]>([
    ['a lower-case lot code', { ...commissioning, lot: { ...duckEggs1, lotId: 'tb-1' } }, /lot/],
    [
      'a GTIN with a wrong check digit',
      { ...commissioning, lot: { ...telurAsin, gtin: '09506000134353' } },
      /check digit/,
    ],
    ['a zero quantity', { ...commissioning, quantity: 0 }, /positive number/],
    ['an unknown time zone', { ...commissioning, tz: 'WIB' }, /unknown time zone/],
    ['a non-date expiry', { ...commissioning, lot: { ...duckEggs1, expiresOn: '15/12/2026' } }, /YYYY-MM-DD/],
    ['min above max', { ...storing, conditions: { temperature: { min: 30, max: 20, mean: 25 } } }, /min ≤ mean ≤ max/],
    ['a stay that ends before it starts', { ...storing, stay: { from: storing.at, to: storing.at - 1 } }, /before/],
    ['an empty room id', { ...storing, roomId: '' }, /roomId/],
    [
      'a transformation without outputs',
      { ...(base[3] as SupplyEvent & { kind: 'transformation' }), outputs: [] },
      /outputs/,
    ],
  ])('%s', (_what, e, message) => {
    expect(() => epcisDocument(ctx, [e])).toThrow(message);
  });

  it('two records that map to one eventID', () => {
    expect(() => epcisDocument(ctx, [commissioning, { ...commissioning, at: commissioning.at + 1 }])).toThrow(
      /duplicate event: commissioning "lot-TB-261101-01"/,
    );
  });

  it('a baseUrl with a query', () => {
    expect(() => epcisDocument({ ...ctx, baseUrl: 'https://lumbung.example/?x=1' }, base)).toThrow(/baseUrl/);
  });
});

describe('units of measure (UN/CEFACT Recommendation 20)', () => {
  it.each([
    ['CEL', 'degree Celsius'],
    ['P1', 'percent'],
    ['KWH', 'kilowatt hour'],
    ['LTR', 'litre'],
    ['MTQ', 'cubic metre'],
    ['KGM', 'kilogram'],
    ['A93', 'gram per cubic metre'],
  ])('%s is %s', (code, name) => {
    expect(isUom(code)).toBe(true);
    expect(REC20_UNITS[code as keyof typeof REC20_UNITS].name).toBe(name);
  });

  it("knows every uom in GS1's example documents, and no made-up or lower-case code", () => {
    for (const name of GS1_EXAMPLES) {
      const uoms = JSON.stringify(gs1Example(name)).match(/"uom":"[^"]*"/g) ?? [];
      for (const u of uoms) expect(isUom(JSON.parse(`{${u}}`).uom)).toBe(true);
    }
    for (const bad of ['cel', 'CELSIUS', 'XYZ', '', 'toString', 'constructor', 42, null])
      expect(isUom(bad)).toBe(false);
    expect(() => assertUom('C')).toThrow(/Rec 20/);
  });

  it('maps every product unit of @lumbung/schemas: counted units have no uom', () => {
    expect(Object.fromEntries(PRODUCT_UNITS.map((u) => [u, lotUnitUom(u) ?? null]))).toEqual({
      pack: null,
      pcs: null,
      kg: 'KGM',
      litre: 'LTR',
    });
  });
});

import type { LotTrace, OrderDetail } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import {
  checkAllocation,
  expiryLevel,
  fefo,
  formatDuration,
  fraction,
  lotActions,
  MOVEMENT_KIND_LIST,
  type MovementForm,
  movementRequest,
  noonOf,
  progressBars,
  quotaShares,
  sortOrders,
  svgDataUrl,
  traceRows,
} from '../src/supply.ts';

describe('expiry', () => {
  it('is soon within the warning days (today counts as usable), expired after', () => {
    expect(expiryLevel(8)).toBe('ok');
    expect(expiryLevel(7)).toBe('soon');
    expect(expiryLevel(0)).toBe('soon');
    expect(expiryLevel(-1)).toBe('expired');
    expect(expiryLevel(3, 2)).toBe('ok');
  });

  it('shows a local date as the same date in every Indonesian zone (noon UTC), never the day before', () => {
    for (const timeZone of ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']) {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      expect(f.format(noonOf('2026-11-30')), timeZone).toBe('2026-11-30');
      expect(f.format(noonOf('2027-01-01')), timeZone).toBe('2027-01-01');
    }
  });
});

describe('allocation and progress', () => {
  it('gives each producer their share of the quotas', () => {
    const s = quotaShares([
      { producerId: 'bu-siti', quota: 600 },
      { producerId: 'bu-ani', quota: 300 },
      { producerId: 'pak-joko', quota: 100 },
    ]);
    expect(s.get('bu-siti')).toBeCloseTo(0.6, 12);
    expect(s.get('pak-joko')).toBeCloseTo(0.1, 12);
    expect([...s.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(quotaShares([{ producerId: 'x', quota: 0 }]).get('x')).toBe(0);
  });

  it('checks adjusted quotas: whole numbers of at least 0, an empty box as 0, and says how far the sum is off', () => {
    const ok = checkAllocation(
      [
        { producerId: 'a', quota: '700' },
        { producerId: 'b', quota: ' 250 ' },
        { producerId: 'c', quota: '' },
      ],
      1000,
    );
    expect(ok).toEqual({
      ok: true,
      allocations: [
        { producerId: 'a', quota: 700 },
        { producerId: 'b', quota: 250 },
        { producerId: 'c', quota: 0 },
      ],
      total: 950,
      diff: -50,
    });
    expect(checkAllocation([{ producerId: 'a', quota: '12.5' }], 10)).toEqual({
      ok: false,
      problem: 'notWhole',
      producerId: 'a',
    });
    expect(checkAllocation([{ producerId: 'a', quota: 'sepuluh' }], 10)).toMatchObject({
      ok: false,
      problem: 'notWhole',
    });
    expect(checkAllocation([{ producerId: 'b', quota: '-5' }], 10)).toMatchObject({ ok: false, problem: 'negative' });
    expect(checkAllocation([{ producerId: 'a', quota: '1100' }], 1000)).toMatchObject({ ok: true, diff: 100 });
  });

  it('draws progress as bars against the quota in the order of the work, full at most', () => {
    const bars = progressBars({ produced: 450, inspected: 300, packed: 0, shipped: 0 }, 300);
    expect(bars.map((b) => b.stage)).toEqual(['produced', 'inspected', 'packed', 'shipped']);
    expect(bars.map((b) => b.fraction)).toEqual([1, 1, 0, 0]);
    expect(bars[0]!.value).toBe(450);
    expect(progressBars({ produced: 50, inspected: 0, packed: 0, shipped: 0 }, 200)[0]!.fraction).toBe(0.25);
    expect(fraction(5, 0)).toBe(0);
    expect(fraction(-1, 10)).toBe(0);
  });

  it('lists orders in work first, those at risk of being late first, then by due date', () => {
    const o = (id: string, status: OrderDetail['status'], dueDate: string, atRisk = false) => ({
      id,
      status,
      dueDate,
      lateRisk: { atRisk, daysLeft: 0, reasons: [] },
    });
    const sorted = sortOrders([
      o('closed', 'closed', '2026-01-01'),
      o('late-later', 'in_production', '2026-12-20', true),
      o('open-soon', 'open', '2026-12-01'),
      o('shipped', 'shipped', '2026-11-01'),
      o('late-soon', 'open', '2026-12-10', true),
    ]);
    expect(sorted.map((x) => x.id)).toEqual(['late-soon', 'late-later', 'open-soon', 'shipped', 'closed']);
  });
});

describe('stock', () => {
  it('keeps FEFO order: earliest expiry, then oldest production, then lot and room', () => {
    const line = (lotId: string, roomId: string, producedOn: string, expiresOn: string) => ({
      lotId,
      roomId,
      producedOn,
      expiresOn,
    });
    const lines = fefo([
      line('TAT-3', 'ruang-telur', '2026-11-10', '2026-12-10'),
      line('TAT-2', 'ruang-kering', '2026-11-01', '2026-12-01'),
      line('TAT-1', 'ruang-telur', '2026-10-30', '2026-12-01'),
      line('TAT-2', 'ruang-telur', '2026-11-01', '2026-12-01'),
    ]);
    expect(lines.map((l) => `${l.lotId}@${l.roomId}`)).toEqual([
      'TAT-1@ruang-telur',
      'TAT-2@ruang-kering',
      'TAT-2@ruang-telur',
      'TAT-3@ruang-telur',
    ]);
  });

  const form = (patch: Partial<MovementForm>): MovementForm => ({
    kind: 'receive',
    lotId: 'TAT-261115-01',
    quantity: '120',
    fromRoomId: '',
    toRoomId: 'ruang-telur',
    reason: '',
    shipmentId: '',
    ...patch,
  });

  it('makes a movement body naming only the rooms its kind uses (NewMovement)', () => {
    expect(movementRequest(form({ fromRoomId: 'ruang-kering' }))).toEqual({
      ok: true,
      request: {
        to: 'movements',
        body: {
          lotId: 'TAT-261115-01',
          kind: 'receive',
          quantity: 120,
          fromRoomId: null,
          toRoomId: 'ruang-telur',
          reason: null,
        },
      },
    });
    const move = movementRequest(form({ kind: 'move', fromRoomId: 'ruang-telur', toRoomId: 'ruang-kering' }));
    expect(move).toMatchObject({
      ok: true,
      request: { to: 'movements', body: { fromRoomId: 'ruang-telur', toRoomId: 'ruang-kering' } },
    });
    const dispose = movementRequest(form({ kind: 'dispose', fromRoomId: 'ruang-telur', reason: 'retak' }));
    expect(dispose).toMatchObject({ ok: true, request: { body: { fromRoomId: 'ruang-telur', toRoomId: null } } });
    expect(MOVEMENT_KIND_LIST).toEqual(['receive', 'move', 'pick', 'adjust', 'dispose']);
  });

  it('sends a pick into its shipment (the cloud refuses a pick that is a bare movement)', () => {
    expect(movementRequest(form({ kind: 'pick', fromRoomId: 'ruang-telur', shipmentId: 'po-0001-k3' }))).toEqual({
      ok: true,
      request: {
        to: 'picks',
        shipmentId: 'po-0001-k3',
        body: { lotId: 'TAT-261115-01', roomId: 'ruang-telur', quantity: 120 },
      },
    });
    expect(movementRequest(form({ kind: 'pick', fromRoomId: 'ruang-telur' }))).toEqual({
      ok: false,
      problem: 'shipment',
    });
  });

  it('refuses what the cloud would refuse, naming the field to fix', () => {
    expect(movementRequest(form({ lotId: 'lot telur' }))).toEqual({ ok: false, problem: 'lot' });
    expect(movementRequest(form({ quantity: '0' }))).toEqual({ ok: false, problem: 'quantity' });
    expect(movementRequest(form({ quantity: '' }))).toEqual({ ok: false, problem: 'quantity' });
    expect(movementRequest(form({ quantity: '-3' }))).toEqual({ ok: false, problem: 'quantity' });
    expect(movementRequest(form({ toRoomId: '' }))).toEqual({ ok: false, problem: 'toRoom' });
    expect(movementRequest(form({ kind: 'pick', fromRoomId: '' }))).toEqual({ ok: false, problem: 'fromRoom' });
    expect(movementRequest(form({ kind: 'move', fromRoomId: 'ruang-telur', toRoomId: 'ruang-telur' }))).toEqual({
      ok: false,
      problem: 'sameRoom',
    });
    expect(movementRequest(form({ kind: 'dispose', fromRoomId: 'ruang-telur' }))).toEqual({
      ok: false,
      problem: 'reason',
    });
    expect(movementRequest(form({ kind: 'adjust', quantity: '-4' }))).toEqual({ ok: false, problem: 'reason' });
  });

  it('takes a signed correction, a decimal comma and a lower-case lot code', () => {
    expect(movementRequest(form({ kind: 'adjust', quantity: '-4', reason: 'pecah 4 butir' }))).toMatchObject({
      ok: true,
      request: { body: { kind: 'adjust', quantity: -4, toRoomId: 'ruang-telur', reason: 'pecah 4 butir' } },
    });
    expect(movementRequest(form({ quantity: '12,5', lotId: ' tat-261115-01 ' }))).toMatchObject({
      ok: true,
      request: { body: { quantity: 12.5, lotId: 'TAT-261115-01' } },
    });
  });
});

describe('lot page', () => {
  it('offers hold and release with quality.inspect, recall with lot.recall, each only where it applies', () => {
    const all = { inspect: true, recall: true };
    expect(lotActions('available', all)).toEqual({ hold: true, release: false, recall: true });
    expect(lotActions('on_hold', all)).toEqual({ hold: false, release: true, recall: true });
    expect(lotActions('recalled', all)).toEqual({ hold: false, release: false, recall: false });
    expect(lotActions('available', { inspect: true, recall: false })).toEqual({
      hold: true,
      release: false,
      recall: false,
    });
    expect(lotActions('on_hold', { inspect: false, recall: false })).toEqual({
      hold: false,
      release: false,
      recall: false,
    });
  });

  const node = (lotId: string, depth: number) =>
    ({
      lotId,
      depth,
      productId: 'p',
      productName: 'p',
      producerId: 'q',
      producerName: 'q',
      producerVillage: 'Taman',
      originSiteId: null,
      originNote: null,
      quantity: 1,
      unit: 'pcs',
      producedOn: '2026-11-01',
      expiresOn: '2026-12-01',
      status: 'available',
      stays: [],
      inspections: [],
    }) as LotTrace['nodes'][number];

  it('lays out a backward trace as a tree: salted eggs from two egg lots, one of them from a duck flock lot', () => {
    const rows = traceRows({
      lotId: 'TAT-1',
      direction: 'backward',
      nodes: [node('TAT-1', 0), node('EGG-B', 1), node('EGG-A', 1), node('DUCK-1', 2), node('SALT-9', 5)],
      edges: [
        { from: 'EGG-A', to: 'TAT-1', quantity: 600 },
        { from: 'EGG-B', to: 'TAT-1', quantity: 400 },
        { from: 'DUCK-1', to: 'EGG-A', quantity: 620 },
      ],
    });
    expect(rows.map((r) => [r.node.lotId, r.level, r.quantity, r.repeat])).toEqual([
      ['TAT-1', 0, undefined, false],
      ['EGG-A', 1, 600, false],
      ['DUCK-1', 2, 620, false],
      ['EGG-B', 1, 400, false],
      // Not reached by the edges: listed at the end, at the API's depth.
      ['SALT-9', 5, undefined, false],
    ]);
  });

  it('lays out a forward trace, marks a lot reached twice, and stops at a cycle', () => {
    const rows = traceRows({
      lotId: 'EGG-A',
      direction: 'forward',
      nodes: [node('EGG-A', 0), node('TAT-1', 1), node('TAT-2', 1), node('BOX-1', 2)],
      edges: [
        { from: 'EGG-A', to: 'TAT-1', quantity: 300 },
        { from: 'EGG-A', to: 'TAT-2', quantity: 300 },
        { from: 'TAT-1', to: 'BOX-1', quantity: 10 },
        { from: 'TAT-2', to: 'BOX-1', quantity: 10 },
        // A data error must not hang the page.
        { from: 'BOX-1', to: 'EGG-A', quantity: 1 },
      ],
    });
    expect(rows.map((r) => [r.node.lotId, r.level, r.repeat])).toEqual([
      ['EGG-A', 0, false],
      ['TAT-1', 1, false],
      ['BOX-1', 2, false],
      ['EGG-A', 3, true],
      ['TAT-2', 1, false],
      ['BOX-1', 2, true],
    ]);
  });

  it('writes a duration as its two largest units', () => {
    const id = { d: 'hr', h: 'j', m: 'mnt' };
    const min = 60_000;
    expect(formatDuration(0, id)).toBe('0 mnt');
    expect(formatDuration(20_000, id)).toBe('0 mnt');
    expect(formatDuration(45 * min, id)).toBe('45 mnt');
    expect(formatDuration(200 * min, id)).toBe('3 j 20 mnt');
    expect(formatDuration(2 * 24 * 60 * min + 5 * 60 * min + 7 * min, id)).toBe('2 hr 5 j');
    expect(formatDuration(24 * 60 * min + 30 * min, id)).toBe('1 hr');
    expect(formatDuration(3 * 60 * min, { d: 'd', h: 'h', m: 'min' })).toBe('3 h');
  });

  it('turns the QR code SVG into an image URL that decodes back to the same SVG', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21"><path d="M0 0h7v7H0z"/></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toContain('<');
    expect(url).not.toContain('#');
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(svg);
  });
});

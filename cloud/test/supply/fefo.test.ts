import { describe, expect, it } from 'vitest';
import { expiryWarnings, type StockLine, suggestPicks } from '../../src/supply/fefo.ts';

const line = (lotId: string, expiresOn: string, quantity: number, extra: Partial<StockLine> = {}): StockLine => ({
  lotId,
  roomId: 'gudang-1',
  quantity,
  expiresOn,
  producedOn: '2026-04-01',
  status: 'available',
  ...extra,
});

describe('suggestPicks (first expired, first out)', () => {
  it('picks the earliest expiry first and the last lot in part', () => {
    const r = suggestPicks({
      stock: [line('L-late', '2026-07-01', 500), line('L-early', '2026-06-01', 300), line('L-mid', '2026-06-15', 400)],
      quantity: 600,
      today: '2026-05-11',
      minRemainingDays: 0,
    });
    expect(r.picks).toEqual([
      { lotId: 'L-early', roomId: 'gudang-1', quantity: 300 },
      { lotId: 'L-mid', roomId: 'gudang-1', quantity: 300 },
    ]);
    expect(r.short).toBe(0);
    expect(r.skipped).toEqual([]);
  });

  it('breaks equal expiry by production date (older first), then lotId, then room', () => {
    const r = suggestPicks({
      stock: [
        line('L-b', '2026-06-01', 10, { producedOn: '2026-05-01' }),
        line('L-c', '2026-06-01', 10, { producedOn: '2026-04-20' }),
        line('L-a', '2026-06-01', 10, { producedOn: '2026-05-01', roomId: 'gudang-2' }),
        line('L-a', '2026-06-01', 10, { producedOn: '2026-05-01', roomId: 'gudang-1' }),
      ],
      quantity: 40,
      today: '2026-05-11',
      minRemainingDays: 0,
    });
    expect(r.picks.map((p) => `${p.lotId}@${p.roomId}`)).toEqual([
      'L-c@gudang-1',
      'L-a@gudang-1',
      'L-a@gudang-2',
      'L-b@gudang-1',
    ]);
  });

  it('skips held and recalled lots, expired lots and lots without enough shelf life, with the reason', () => {
    const r = suggestPicks({
      stock: [
        line('L-held', '2026-06-01', 100, { status: 'held' }),
        line('L-recalled', '2026-06-02', 100, { status: 'recalled' }),
        line('L-expired', '2026-05-10', 100),
        line('L-short', '2026-05-20', 100), // 9 days left, buyer needs 14
        line('L-edge', '2026-05-25', 100), // exactly 14 days left: fine
        line('L-good', '2026-08-01', 100),
      ],
      quantity: 150,
      today: '2026-05-11',
      minRemainingDays: 14,
    });
    expect(r.skipped).toEqual([
      { lotId: 'L-held', roomId: 'gudang-1', reason: 'status' },
      { lotId: 'L-recalled', roomId: 'gudang-1', reason: 'status' },
      { lotId: 'L-expired', roomId: 'gudang-1', reason: 'expired' },
      { lotId: 'L-short', roomId: 'gudang-1', reason: 'shelf_life' },
    ]);
    expect(r.picks).toEqual([
      { lotId: 'L-edge', roomId: 'gudang-1', quantity: 100 },
      { lotId: 'L-good', roomId: 'gudang-1', quantity: 50 },
    ]);
  });

  it('a lot may still be picked on its expiry date (0 days left) and is expired the day after', () => {
    const stock = [line('L-1', '2026-05-11', 5)];
    expect(suggestPicks({ stock, quantity: 5, today: '2026-05-11', minRemainingDays: 0 }).picks).toHaveLength(1);
    expect(suggestPicks({ stock, quantity: 5, today: '2026-05-12', minRemainingDays: 0 }).skipped).toEqual([
      { lotId: 'L-1', roomId: 'gudang-1', reason: 'expired' },
    ]);
  });

  it('reports what the eligible stock cannot cover', () => {
    const r = suggestPicks({
      stock: [line('L-1', '2026-06-01', 120), line('L-2', '2026-06-02', 80, { status: 'quarantine' })],
      quantity: 500,
      today: '2026-05-11',
      minRemainingDays: 7,
    });
    expect(r.picks).toEqual([{ lotId: 'L-1', roomId: 'gudang-1', quantity: 120 }]);
    expect(r.short).toBe(380);
  });

  it('ignores empty lines and counts days across month and year ends and leap days', () => {
    const r = suggestPicks({
      stock: [line('L-empty', '2026-06-01', 0), line('L-leap', '2028-03-01', 3)],
      quantity: 3,
      today: '2028-02-27',
      minRemainingDays: 3, // 27 Feb → 1 Mar 2028 is 3 days (29 Feb exists)
    });
    expect(r.picks).toEqual([{ lotId: 'L-leap', roomId: 'gudang-1', quantity: 3 }]);
    expect(r.skipped).toEqual([]);
    expect(
      suggestPicks({ stock: [line('L-leap', '2027-03-01', 3)], quantity: 3, today: '2027-02-27', minRemainingDays: 3 })
        .skipped,
    ).toEqual([{ lotId: 'L-leap', roomId: 'gudang-1', reason: 'shelf_life' }]);
  });

  it('rejects bad dates and quantities', () => {
    const stock = [line('L-1', '2026-02-30', 5)];
    expect(() => suggestPicks({ stock, quantity: 1, today: '2026-05-11', minRemainingDays: 0 })).toThrow(/calendar/);
    expect(() => suggestPicks({ stock: [], quantity: 1, today: '11/05/2026', minRemainingDays: 0 })).toThrow(
      /YYYY-MM-DD/,
    );
    expect(() => suggestPicks({ stock: [], quantity: -1, today: '2026-05-11', minRemainingDays: 0 })).toThrow(
      /quantity/,
    );
  });
});

describe('expiryWarnings', () => {
  it('lists expired lots and lots expiring within the warning window, soonest first, whatever their status', () => {
    const w = expiryWarnings(
      [
        line('L-far', '2026-07-01', 10),
        line('L-soon', '2026-05-18', 10), // 7 days: inside a 7-day window
        line('L-held', '2026-05-13', 10, { status: 'held' }),
        line('L-gone', '2026-05-01', 10),
        line('L-edge', '2026-05-19', 10), // 8 days: outside
        line('L-empty', '2026-05-12', 0),
      ],
      '2026-05-11',
      7,
    );
    expect(w.map((x) => [x.lotId, x.daysLeft, x.expired, x.status])).toEqual([
      ['L-gone', -10, true, 'available'],
      ['L-held', 2, false, 'held'],
      ['L-soon', 7, false, 'available'],
    ]);
  });
});

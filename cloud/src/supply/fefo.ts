// First-Expired-First-Out: ship the stock that expires first, so nothing is left to expire on the shelf,
// and never ship what the buyer cannot sell before it expires (WHO TRS 961 Annex 9, stock rotation).
import { dayNumber } from '@lumbung/schemas/time';

export interface StockLine {
  lotId: string;
  roomId: string;
  /** Units of the lot in this room. */
  quantity: number;
  /** Last day the product may be used (YYYY-MM-DD, local calendar date). */
  expiresOn: string;
  producedOn: string;
  /** Only `available` stock is picked; held, quarantined or recalled lots are skipped. */
  status: string;
}

export interface Pick {
  lotId: string;
  roomId: string;
  quantity: number;
}

export type SkipReason = 'status' | 'expired' | 'shelf_life';

export interface PickSuggestion {
  /** In picking order: earliest expiry first. */
  picks: Pick[];
  /** Units the eligible stock could not cover. */
  short: number;
  /** Stock lines that were not eligible, with the first reason that applied. */
  skipped: { lotId: string; roomId: string; reason: SkipReason }[];
}

export interface PickRequest {
  stock: readonly StockLine[];
  quantity: number;
  /** Local calendar date of the pick (YYYY-MM-DD). */
  today: string;
  /** Shelf life the buyer needs on arrival, in days: a lot expiring sooner than today + this is skipped. */
  minRemainingDays: number;
}

/**
 * FEFO pick list: `available` lines with at least `minRemainingDays` left, earliest expiry first, ties by
 * production date (older first), then lotId and roomId. The last line may be picked in part. Lines with
 * no quantity are ignored.
 */
export function suggestPicks(req: PickRequest): PickSuggestion {
  const { quantity, minRemainingDays } = req;
  if (!(quantity >= 0) || !Number.isFinite(quantity)) throw new RangeError(`quantity must be >= 0, got ${quantity}`);
  if (!(minRemainingDays >= 0)) throw new RangeError(`minRemainingDays must be >= 0, got ${minRemainingDays}`);
  const today = dayNumber(req.today);
  const skipped: PickSuggestion['skipped'] = [];
  const eligible: { line: StockLine; expires: number; produced: number }[] = [];
  for (const line of req.stock) {
    if (!(line.quantity > 0)) continue;
    const expires = dayNumber(line.expiresOn);
    const produced = dayNumber(line.producedOn);
    const daysLeft = expires - today;
    const reason: SkipReason | null =
      line.status !== 'available'
        ? 'status'
        : daysLeft < 0
          ? 'expired'
          : daysLeft < minRemainingDays
            ? 'shelf_life'
            : null;
    if (reason) skipped.push({ lotId: line.lotId, roomId: line.roomId, reason });
    else eligible.push({ line, expires, produced });
  }
  eligible.sort(
    (a, b) =>
      a.expires - b.expires ||
      a.produced - b.produced ||
      compare(a.line.lotId, b.line.lotId) ||
      compare(a.line.roomId, b.line.roomId),
  );
  const picks: Pick[] = [];
  let left = quantity;
  for (const { line } of eligible) {
    if (left <= 0) break;
    const take = Math.min(left, line.quantity);
    picks.push({ lotId: line.lotId, roomId: line.roomId, quantity: take });
    left -= take;
  }
  return { picks, short: left, skipped };
}

export interface ExpiryWarning {
  lotId: string;
  roomId: string;
  quantity: number;
  expiresOn: string;
  status: string;
  /** Days from today to the expiry date: 0 on the last day of use, negative once expired. */
  daysLeft: number;
  expired: boolean;
}

/**
 * Stock (any status, quantity > 0) that has expired or expires within `warnDays` days of `today`, soonest
 * first. A lot is expired the day after its expiry date.
 */
export function expiryWarnings(stock: readonly StockLine[], today: string, warnDays: number): ExpiryWarning[] {
  if (!(warnDays >= 0)) throw new RangeError(`warnDays must be >= 0, got ${warnDays}`);
  const day = dayNumber(today);
  const out: ExpiryWarning[] = [];
  for (const line of stock) {
    if (!(line.quantity > 0)) continue;
    const daysLeft = dayNumber(line.expiresOn) - day;
    if (daysLeft > warnDays) continue;
    out.push({
      lotId: line.lotId,
      roomId: line.roomId,
      quantity: line.quantity,
      expiresOn: line.expiresOn,
      status: line.status,
      daysLeft,
      expired: daysLeft < 0,
    });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft || compare(a.lotId, b.lotId) || compare(a.roomId, b.roomId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

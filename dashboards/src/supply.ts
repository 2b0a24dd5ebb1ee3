import type {
  AllocationLine,
  LotStatus,
  LotTrace,
  MovementKind,
  NewMovement,
  OrderDetail,
  StockLine,
} from '@lumbung/schemas';

/**
 * Pure helpers of the supply-chain pages (issue 5): no DOM, no requests, no module of the entry, so the lazily
 * loaded pages can use them (pages/supply/kit.tsx says why that matters) and tests can check them directly.
 */

const MINUTE = 60_000;

/**
 * A local date (YYYY-MM-DD) as the epoch ms of its noon UTC: formatted in any zone from UTC-11 to UTC+11 (all of
 * Indonesia's: WIB, WITA, WIT) it is still that date.
 */
export const noonOf = (isoDate: string): number => Date.parse(`${isoDate}T12:00:00Z`);

export type ExpiryLevel = 'expired' | 'soon' | 'ok';

/**
 * How close a lot is to its expiry date, in whole local days left (0: it expires today, still usable).
 * `soon` within `warnDays` (the packing house's warnings use 7, as GET stock/warnings does by default).
 */
export function expiryLevel(daysLeft: number, warnDays = 7): ExpiryLevel {
  if (daysLeft < 0) return 'expired';
  return daysLeft <= warnDays ? 'soon' : 'ok';
}

/** part / whole within 0…1 (a bar's filled share); 0 for an empty whole. */
export function fraction(part: number, whole: number): number {
  if (!(whole > 0) || !(part > 0)) return 0;
  return Math.min(1, part / whole);
}

/** Each producer's share of the order, from the quotas (what the allocation table shows beside each quota). */
export function quotaShares(lines: readonly Pick<AllocationLine, 'producerId' | 'quota'>[]): Map<string, number> {
  const total = lines.reduce((n, l) => n + l.quota, 0);
  return new Map(lines.map((l) => [l.producerId, total > 0 ? l.quota / total : 0]));
}

export type AllocationProblem = 'notWhole' | 'negative';

/**
 * The coordinator's adjusted quotas, as the form holds them (text from number inputs), checked before PUT:
 * whole numbers of at least 0. Their sum may differ from the order's quantity (a member drops out, another
 * takes more later); `diff` says by how much, for the form to show.
 */
export function checkAllocation(
  entries: readonly { producerId: string; quota: string }[],
  orderQuantity: number,
):
  | { ok: true; allocations: { producerId: string; quota: number }[]; total: number; diff: number }
  | { ok: false; problem: AllocationProblem; producerId: string } {
  const allocations: { producerId: string; quota: number }[] = [];
  for (const e of entries) {
    const text = e.quota.trim();
    const quota = text === '' ? 0 : Number(text);
    if (!Number.isInteger(quota)) return { ok: false, problem: 'notWhole', producerId: e.producerId };
    if (quota < 0) return { ok: false, problem: 'negative', producerId: e.producerId };
    allocations.push({ producerId: e.producerId, quota });
  }
  const total = allocations.reduce((n, a) => n + a.quota, 0);
  return { ok: true, allocations, total, diff: total - orderQuantity };
}

export const PROGRESS_STAGES = ['produced', 'inspected', 'packed', 'shipped'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

/** One producer's (or the order's) progress as bars against the quota, in the order the work goes. */
export function progressBars(
  p: Record<ProgressStage, number>,
  quota: number,
): { stage: ProgressStage; value: number; fraction: number }[] {
  return PROGRESS_STAGES.map((stage) => ({ stage, value: p[stage], fraction: fraction(p[stage], quota) }));
}

const ORDER_ACTIVE: Record<OrderDetail['status'], number> = {
  open: 0,
  in_production: 0,
  shipped: 1,
  closed: 2,
  cancelled: 2,
};

/** Orders still being worked on first, at risk of being late first among them, then by due date. */
export function sortOrders<T extends Pick<OrderDetail, 'status' | 'dueDate' | 'id' | 'lateRisk'>>(orders: T[]): T[] {
  return [...orders].sort(
    (a, b) =>
      ORDER_ACTIVE[a.status] - ORDER_ACTIVE[b.status] ||
      Number(b.lateRisk.atRisk) - Number(a.lateRisk.atRisk) ||
      a.dueDate.localeCompare(b.dueDate) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * First expired, first out: the earliest expiry first, then the oldest production, then by lot and room (a
 * stable order for lines of one lot). The API sends stock in this order already; the page keeps it after
 * filtering and merging, and tests hold both to the same rule.
 */
export function fefo<T extends Pick<StockLine, 'expiresOn' | 'producedOn' | 'lotId' | 'roomId'>>(lines: T[]): T[] {
  return [...lines].sort(
    (a, b) =>
      a.expiresOn.localeCompare(b.expiresOn) ||
      a.producedOn.localeCompare(b.producedOn) ||
      a.lotId.localeCompare(b.lotId) ||
      a.roomId.localeCompare(b.roomId),
  );
}

/** The fields of the movement form, as text. */
export interface MovementForm {
  kind: MovementKind;
  lotId: string;
  quantity: string;
  fromRoomId: string;
  toRoomId: string;
  reason: string;
  /** A pick's shipment (the cloud takes picks only into a shipment). */
  shipmentId: string;
}

export type MovementProblem = 'lot' | 'quantity' | 'fromRoom' | 'toRoom' | 'sameRoom' | 'reason' | 'shipment';

/**
 * Which rooms a kind of movement names (NewMovement of @lumbung/schemas), whether it needs a reason, and whether
 * it goes into a shipment: a pick is POST shipments/:shipmentId/picks, with that shipment's checks (inspected,
 * not blocked, enough shelf life), never a bare movement.
 */
export const MOVEMENT_FIELDS: Record<
  MovementKind,
  { from: boolean; to: boolean; reason: boolean; signed: boolean; shipment: boolean }
> = {
  receive: { from: false, to: true, reason: false, signed: false, shipment: false },
  move: { from: true, to: true, reason: false, signed: false, shipment: false },
  pick: { from: true, to: false, reason: false, signed: false, shipment: true },
  // A count found more or fewer: a signed correction in the room counted.
  adjust: { from: false, to: true, reason: true, signed: true, shipment: false },
  dispose: { from: true, to: false, reason: true, signed: false, shipment: false },
};

export const MOVEMENT_KIND_LIST = Object.keys(MOVEMENT_FIELDS) as MovementKind[];

/** What the form sends: a movement (POST stock/movements) or a pick into a shipment (POST shipments/:id/picks). */
export type MovementRequest =
  | { to: 'movements'; body: NewMovement }
  | { to: 'picks'; shipmentId: string; body: { lotId: string; roomId: string; quantity: number } };

/** The request of the movement form, or the first field to fix. */
export function movementRequest(
  f: MovementForm,
): { ok: true; request: MovementRequest } | { ok: false; problem: MovementProblem } {
  const rule = MOVEMENT_FIELDS[f.kind];
  const lotId = f.lotId.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9-]{0,19}$/.test(lotId)) return { ok: false, problem: 'lot' };
  // Indonesian phones type a decimal comma.
  const quantity = Number(f.quantity.trim().replace(',', '.'));
  if (!f.quantity.trim() || !Number.isFinite(quantity) || quantity === 0 || (!rule.signed && quantity < 0))
    return { ok: false, problem: 'quantity' };
  if (rule.from && !f.fromRoomId) return { ok: false, problem: 'fromRoom' };
  if (rule.to && !f.toRoomId) return { ok: false, problem: 'toRoom' };
  if (rule.from && rule.to && f.fromRoomId === f.toRoomId) return { ok: false, problem: 'sameRoom' };
  if (rule.shipment && !f.shipmentId) return { ok: false, problem: 'shipment' };
  const reason = f.reason.trim();
  if (rule.reason && !reason) return { ok: false, problem: 'reason' };
  if (rule.shipment)
    return {
      ok: true,
      request: { to: 'picks', shipmentId: f.shipmentId, body: { lotId, roomId: f.fromRoomId, quantity } },
    };
  return {
    ok: true,
    request: {
      to: 'movements',
      body: {
        lotId,
        kind: f.kind,
        quantity,
        fromRoomId: rule.from ? f.fromRoomId : null,
        toRoomId: rule.to ? f.toRoomId : null,
        reason: reason || null,
      },
    },
  };
}

/** The status buttons of a lot page: hold and release with `quality.inspect`, recall with `lot.recall`. */
export function lotActions(
  status: LotStatus,
  can: { inspect: boolean; recall: boolean },
): { hold: boolean; release: boolean; recall: boolean } {
  return {
    hold: can.inspect && status === 'available',
    release: can.inspect && status === 'on_hold',
    recall: can.recall && status !== 'recalled',
  };
}

export type TraceNode = LotTrace['nodes'][number];

export interface TraceRow {
  node: TraceNode;
  /** Indentation: 0 for the lot asked for, 1 for what it was made from (backward) or made into (forward). */
  level: number;
  /** The quantity that went from one lot into the other, along the edge that led here. */
  quantity: number | undefined;
  /** Already listed above (a lot used twice): shown again, not expanded again. */
  repeat: boolean;
}

/**
 * The trace as the rows of a tree, depth first from the lot asked for: backward, a lot's children are the lots
 * it was made from (edges `from` → it); forward, the lots made from it. Nodes the edges do not reach (the API's
 * depth says where they belong) follow at the end by their depth.
 */
export function traceRows(trace: Pick<LotTrace, 'lotId' | 'direction' | 'nodes' | 'edges'>): TraceRow[] {
  const byId = new Map(trace.nodes.map((n) => [n.lotId, n]));
  const children = new Map<string, { lotId: string; quantity: number }[]>();
  for (const e of trace.edges) {
    const [parent, child] = trace.direction === 'backward' ? [e.to, e.from] : [e.from, e.to];
    const list = children.get(parent) ?? [];
    list.push({ lotId: child, quantity: e.quantity });
    children.set(parent, list);
  }
  const rows: TraceRow[] = [];
  const seen = new Set<string>();
  const visit = (lotId: string, level: number, quantity: number | undefined, path: Set<string>) => {
    const node = byId.get(lotId);
    if (!node) return;
    const repeat = seen.has(lotId);
    rows.push({ node, level, quantity, repeat });
    seen.add(lotId);
    if (repeat || path.has(lotId)) return;
    const next = new Set(path).add(lotId);
    const kids = [...(children.get(lotId) ?? [])].sort((a, b) => a.lotId.localeCompare(b.lotId));
    for (const k of kids) visit(k.lotId, level + 1, k.quantity, next);
  };
  visit(trace.lotId, 0, undefined, new Set());
  const rest = trace.nodes.filter((n) => !seen.has(n.lotId)).sort((a, b) => a.depth - b.depth);
  for (const n of rest) rows.push({ node: n, level: n.depth, quantity: undefined, repeat: false });
  return rows;
}

/**
 * A duration as at most its two largest units ("2 h 5 j", "3 j 20 mnt", "45 mnt"); under a minute: "0 <minute>".
 * The unit words come from the language's catalogue.
 */
export function formatDuration(ms: number, units: { d: string; h: string; m: string }): string {
  const total = Math.max(0, Math.round(ms / MINUTE));
  const parts: [number, string][] = [
    [Math.floor(total / (24 * 60)), units.d],
    [Math.floor(total / 60) % 24, units.h],
    [total % 60, units.m],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return `0 ${units.m}`;
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}

/** An SVG document as a data: URL for an <img> (scripts inside an image never run, unlike inline SVG). */
export const svgDataUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The text of an API message given in both languages ({ id, en }, as lateRisk.reasons are). */
export const inLang = (m: { id: string; en: string }, lang: 'id' | 'en'): string => m[lang] || m.id;

/** @jsxImportSource . */
import type { LotRecord, OrderDetail, ShipmentRecord } from '@lumbung/schemas';
import type { SupplyAccess } from '../../roles.ts';
import { checkAllocation, inLang, progressBars, quotaShares, sortOrders } from '../../supply.ts';
import { Bar, Expiry, LotStatusBadge, type SupplyT, unitLabel, useDaysLeft, useT } from './common.tsx';
import { entry, Field, FileLink, Pending, useAction, useDate, useLoad, useState } from './kit.tsx';

/** The KUB's bulk orders: buyer, product, quantity, due date, status and whether it risks being late. */
export function OrdersPage({ villageId }: { villageId: string }) {
  const { api } = entry.useUi();
  const t = useT();
  const orders = useLoad((signal) => api.get<OrderDetail[]>(`/villages/${villageId}/orders`, signal), [api, villageId]);
  return (
    <>
      <h1>{t('ordersTitle')}</h1>
      <Pending load={orders} />
      {orders.value?.length === 0 && <p class="muted">{t('noOrders')}</p>}
      {orders.value && orders.value.length > 0 && (
        <ul class="cards plain">
          {sortOrders(orders.value).map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
        </ul>
      )}
    </>
  );
}

function OrderCard({ order: o }: { order: OrderDetail }) {
  const t = useT();
  const { fmt } = entry.useUi();
  return (
    <li class="card" data-order-id={o.id}>
      <h2 class="h3">
        <a href={entry.href({ page: 'order', villageId: o.villageId, orderId: o.id })}>{o.buyerName}</a>
      </h2>
      <p>
        {o.productName} · {fmt.value(o.quantity, unitLabel(t, o.unit))}
      </p>
      <p class="small">
        <Due date={o.dueDate} />
      </p>
      <p class="pills">
        <OrderStatus status={o.status} />
        {o.lateRisk.atRisk && <span class="pill risk">{t('lateRisk')}</span>}
      </p>
      <Bar label={t('stage_shipped')} value={o.totals.shipped} whole={o.quantity} unit="" />
    </li>
  );
}

/** The due date and the days left ("Jatuh tempo 6 Des 2026 · 14 hari lagi"; without the words under a label). */
function Due({ date, bare }: { date: string; bare?: boolean }) {
  const t = useT();
  const day = useDate();
  const days = useDaysLeft()(date);
  const left = days < 0 ? t('overdueDays', { n: -days }) : days === 0 ? t('dueToday') : t('daysLeft', { n: days });
  return (
    <span class={days < 0 ? 'late' : undefined} data-days-left={days}>
      {bare ? day(date) : t('dueOn', { date: day(date) })} · <strong>{left}</strong>
    </span>
  );
}

function OrderStatus({ status }: { status: OrderDetail['status'] }) {
  const t = useT();
  return <span class={`pill order-${status}`}>{t(`orderStatus_${status}`)}</span>;
}

/**
 * One order: its allocation among the producers (adjust it, or recompute it with a minimum lot size), their
 * progress against their quotas, the risk of being late and why, its shipments with their dispatch notes, and
 * the lots made for it.
 */
export function OrderPage({
  villageId,
  orderId,
  access,
}: {
  villageId: string;
  orderId: string;
  access: SupplyAccess;
}) {
  const { api, fmt } = entry.useUi();
  const t = useT();
  const v = `/villages/${villageId}`;
  const order = useLoad(
    (signal) => api.get<OrderDetail>(`${v}/orders/${encodeURIComponent(orderId)}`, signal),
    [api, v, orderId],
  );
  const o = order.value;
  return (
    <>
      <p>
        <a href={entry.href({ page: 'orders', villageId })}>{t('backToOrders')}</a>
      </p>
      {!o && <Pending load={order} />}
      {o && (
        <>
          <h1>{o.buyerName}</h1>
          <p>
            {o.productName} · {fmt.value(o.quantity, unitLabel(t, o.unit))}
          </p>
          <p class="pills">
            <OrderStatus status={o.status} />
          </p>
          <dl class="kv facts">
            <div>
              <dt>{t('dueDate')}</dt>
              <dd>
                <Due date={o.dueDate} bare />
              </dd>
            </div>
            <div>
              <dt>{t('pricePerUnit')}</dt>
              <dd>{t('rupiah', { amount: fmt.number(o.pricePerUnit, 0) })}</dd>
            </div>
            <div>
              <dt>{t('orderValue')}</dt>
              <dd>{t('rupiah', { amount: fmt.number(o.valueIdr, 0) })}</dd>
            </div>
          </dl>
          <LateRisk order={o} />
          <Allocation order={o} access={access} onChange={order.set} />
          <Progress order={o} />
          <Shipments villageId={villageId} orderId={o.id} />
          <OrderLots villageId={villageId} orderId={o.id} />
        </>
      )}
    </>
  );
}

function LateRisk({ order: o }: { order: OrderDetail }) {
  const t = useT();
  const { lang } = entry.useUi();
  const risk = o.lateRisk;
  if (o.status === 'closed' || o.status === 'cancelled' || o.status === 'shipped') return null;
  return (
    <section class={risk.atRisk ? 'warnbox' : 'okbox'} aria-labelledby="h-risk" data-late-risk={risk.atRisk}>
      <h2 id="h-risk" class="h3">
        {risk.atRisk ? t('lateRiskTitle') : t('onSchedule')}
      </h2>
      <p class="small">
        {risk.daysLeft < 0 ? t('overdueDays', { n: -risk.daysLeft }) : t('daysLeft', { n: risk.daysLeft })}
      </p>
      {risk.reasons.length > 0 && (
        <ul class="reasons">
          {risk.reasons.map((r) => (
            <li key={r.id}>{inLang(r, lang)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function producerNames(o: OrderDetail): Map<string, string> {
  return new Map(o.progress.map((p) => [p.producerId, p.producerName]));
}

function Allocation({
  order: o,
  access,
  onChange,
}: {
  order: OrderDetail;
  access: SupplyAccess;
  onChange: (o: OrderDetail) => void;
}) {
  const t = useT();
  const { fmt } = entry.useUi();
  const [editing, setEditing] = useState(false);
  const names = producerNames(o);
  const shares = quotaShares(o.allocations);
  const total = o.allocations.reduce((n, a) => n + a.quota, 0);
  return (
    <section class="section" aria-labelledby="h-allocation">
      <h2 id="h-allocation">{t('allocationTitle')}</h2>
      {o.allocations.length === 0 ? (
        <p class="muted">{t('noAllocation')}</p>
      ) : (
        <table class="table" data-allocation="">
          <thead>
            <tr>
              <th scope="col">{t('producer')}</th>
              <th scope="col" class="num">
                {t('quota')}
              </th>
              <th scope="col" class="num">
                {t('share')}
              </th>
            </tr>
          </thead>
          <tbody>
            {o.allocations.map((a) => (
              <tr key={a.producerId} data-producer-id={a.producerId}>
                <th scope="row">
                  {names.get(a.producerId) ?? a.producerId}
                  {a.adjusted && <span class="muted small"> · {t('adjusted')}</span>}
                </th>
                <td class="num">{fmt.number(a.quota)}</td>
                <td class="num">{fmt.number((shares.get(a.producerId) ?? 0) * 100, 1)}%</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('total')}</th>
              <td class="num">{fmt.number(total)}</td>
              <td class="num">{t('ofOrder', { n: fmt.number(o.quantity) })}</td>
            </tr>
          </tfoot>
        </table>
      )}
      {access.orders &&
        (editing ? (
          <AdjustForm
            order={o}
            names={names}
            onDone={(x) => {
              if (x) onChange(x);
              setEditing(false);
            }}
          />
        ) : (
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setEditing(true)}>
              {t('adjust')}
            </button>
          </div>
        ))}
      {access.orders && <RecomputeForm order={o} onChange={onChange} />}
    </section>
  );
}

function AdjustForm({
  order: o,
  names,
  onDone,
}: {
  order: OrderDetail;
  names: Map<string, string>;
  onDone: (o: OrderDetail | undefined) => void;
}) {
  const t = useT();
  const { api, fmt } = entry.useUi();
  const [quotas, setQuotas] = useState(() =>
    o.allocations.map((a) => ({ producerId: a.producerId, quota: String(a.quota) })),
  );
  const { busy, problem, setProblem, run } = useAction();
  const check = checkAllocation(quotas, o.quantity);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!check.ok) {
      setProblem(t(`allocation_${check.problem}`, { producer: names.get(check.producerId) ?? check.producerId }));
      return;
    }
    const path = `/villages/${o.villageId}/orders/${encodeURIComponent(o.id)}/allocation`;
    void run(async () => onDone(await api.put<OrderDetail>(path, { allocations: check.allocations })));
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="h-adjust">
      <h3 id="h-adjust">{t('adjustTitle')}</h3>
      {quotas.map((q, i) => (
        <Field
          key={q.producerId}
          id={`quota-${q.producerId}`}
          label={names.get(q.producerId) ?? q.producerId}
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={q.quota}
          onValue={(value) => setQuotas(quotas.map((x, j) => (j === i ? { ...x, quota: value } : x)))}
        />
      ))}
      {check.ok && (
        <p class={check.diff === 0 ? 'small' : 'small late'} role="status">
          {t('allocationSum', { total: fmt.number(check.total), quantity: fmt.number(o.quantity) })}
          {check.diff !== 0 &&
            ` · ${t(check.diff > 0 ? 'allocationOver' : 'allocationUnder', { n: fmt.number(Math.abs(check.diff)) })}`}
        </p>
      )}
      <entry.Problem text={problem} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" class="secondary" onClick={() => onDone(undefined)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function RecomputeForm({ order: o, onChange }: { order: OrderDetail; onChange: (o: OrderDetail) => void }) {
  const t = useT();
  const { api } = entry.useUi();
  const [minLot, setMinLot] = useState(String(o.minLotSize));
  const { busy, problem, setProblem, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const n = minLot.trim() === '' ? 0 : Number(minLot);
    if (!Number.isInteger(n) || n < 0) {
      setProblem(t('minLotInvalid'));
      return;
    }
    const path = `/villages/${o.villageId}/orders/${encodeURIComponent(o.id)}/allocate`;
    void run(async () => onChange(await api.post<OrderDetail>(path, { minLotSize: n })));
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <div class="field">
        <label for="min-lot">{t('minLotSize')}</label>
        <span class="hint small muted">{t('minLotHint')}</span>
        <input
          id="min-lot"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={minLot}
          onInput={(e) => setMinLot((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" class="secondary" disabled={busy}>
        {t('recompute')}
      </button>
      <entry.Problem text={problem} />
    </form>
  );
}

function Progress({ order: o }: { order: OrderDetail }) {
  const t = useT();
  const unit = unitLabel(t, o.unit);
  return (
    <section class="section" aria-labelledby="h-progress">
      <h2 id="h-progress">{t('progressTitle')}</h2>
      <div class="cards">
        <article class="card" data-progress="total">
          <h3>{t('wholeOrder')}</h3>
          <StageBars t={t} values={o.totals} quota={o.quantity} unit={unit} />
        </article>
        {o.progress.map((p) => (
          <article class="card" key={p.producerId} data-progress={p.producerId}>
            <h3>
              {p.producerName}
              {p.atRisk && <span class="pill risk">{t('behind')}</span>}
            </h3>
            <StageBars t={t} values={p} quota={p.quota} unit={unit} />
          </article>
        ))}
      </div>
    </section>
  );
}

function StageBars({
  t,
  values,
  quota,
  unit,
}: {
  t: SupplyT;
  values: Parameters<typeof progressBars>[0];
  quota: number;
  unit: string;
}) {
  return (
    <div class="progs">
      {progressBars(values, quota).map((b) => (
        <Bar key={b.stage} label={t(`stage_${b.stage}`)} value={b.value} whole={quota} unit={unit} />
      ))}
    </div>
  );
}

function Shipments({ villageId, orderId }: { villageId: string; orderId: string }) {
  const { api, fmt, now } = entry.useUi();
  const t = useT();
  const v = `/villages/${villageId}`;
  const shipments = useLoad(
    (signal) => api.get<ShipmentRecord[]>(`${v}/shipments${entry.qs({ orderId })}`, signal),
    [api, v, orderId],
  );
  return (
    <section class="section" aria-labelledby="h-shipments">
      <h2 id="h-shipments">{t('shipmentsTitle')}</h2>
      <Pending load={shipments} />
      {shipments.value?.length === 0 && <p class="muted">{t('noShipments')}</p>}
      <ul class="plain rows">
        {shipments.value?.map((s) => (
          <li key={s.id} class="card" data-shipment-id={s.id}>
            <p class="row-head">
              <strong>{s.id}</strong> <span class={`pill ship-${s.status}`}>{t(`shipmentStatus_${s.status}`)}</span>
            </p>
            {s.destination && <p class="small">{t('destination', { place: s.destination })}</p>}
            <p class="small muted">
              {s.deliveredAt
                ? t('deliveredAt', { time: fmt.dateTime(s.deliveredAt, now) })
                : s.dispatchedAt
                  ? t('dispatchedAt', { time: fmt.dateTime(s.dispatchedAt, now) })
                  : t('createdAt', { time: fmt.dateTime(s.createdAt, now) })}
            </p>
            {s.lines.length > 0 && (
              <p class="small">
                {s.lines.map((l, i) => (
                  <span key={`${l.lotId}/${l.roomId}`}>
                    {i > 0 && ', '}
                    <a href={entry.href({ page: 'lot', villageId, lotId: l.lotId })}>{l.lotId}</a> (
                    {fmt.number(l.quantity)})
                  </span>
                ))}
              </p>
            )}
            <FileLink
              path={`${v}/shipments/${encodeURIComponent(s.id)}/dispatch-note.pdf`}
              accept="application/pdf"
              name={`surat-jalan-${s.id}.pdf`}
            >
              {t('dispatchNote')}
            </FileLink>
          </li>
        ))}
      </ul>
    </section>
  );
}

function OrderLots({ villageId, orderId }: { villageId: string; orderId: string }) {
  const { api, fmt } = entry.useUi();
  const t = useT();
  const v = `/villages/${villageId}`;
  const lots = useLoad(
    (signal) => api.get<LotRecord[]>(`${v}/lots${entry.qs({ orderId })}`, signal),
    [api, v, orderId],
  );
  return (
    <section class="section" aria-labelledby="h-order-lots">
      <h2 id="h-order-lots">{t('orderLotsTitle')}</h2>
      <Pending load={lots} />
      {lots.value?.length === 0 && <p class="muted">{t('noLots')}</p>}
      <ul class="plain rows">
        {lots.value?.map((l) => (
          <li key={l.id} class="row" data-lot-id={l.id}>
            <p class="row-head">
              <a href={entry.href({ page: 'lot', villageId, lotId: l.id })}>{l.id}</a>
              <span>{fmt.value(l.quantity, unitLabel(t, l.unit))}</span>
            </p>
            <p class="small">
              <LotStatusBadge status={l.status} /> <Expiry date={l.expiresOn} />
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

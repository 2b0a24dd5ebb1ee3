/** @jsxImportSource . */
import type { LotRecord, MovementKind, MovementRecord, ShipmentRecord, SiteRecord, StockLine } from '@lumbung/schemas';
import type { SupplyAccess } from '../../roles.ts';
import { fefo, MOVEMENT_FIELDS, MOVEMENT_KIND_LIST, type MovementForm, movementRequest } from '../../supply.ts';
import type { VillageData } from '../../village.ts';
import {
  type Catalogue,
  Expiry,
  LotStatusBadge,
  productName,
  unitLabel,
  useCatalogue,
  useReason,
  useT,
} from './common.tsx';
import { InspectionForm } from './inspection.tsx';
import { entry, Field, FormEnd, Pending, useForm, useLoad, useState } from './kit.tsx';

type Warnings = { expiring: StockLine[]; exposure: { lotId: string; reasons: string[] }[] };

/** Days ahead the expiry warnings look (GET stock/warnings?days=). */
const WARN_DAYS = 7;

/**
 * The packing house: its storage rooms with their live conditions, the stock by lot in FEFO order, the
 * warnings (lots near expiry, lots whose storage went out of range), and forms to record a stock movement and a
 * quality inspection.
 */
export function StockPage({
  villageId,
  data,
  access,
}: {
  villageId: string;
  data: VillageData | undefined;
  access: SupplyAccess;
}) {
  const { api } = entry.useUi();
  const t = useT();
  const v = `/villages/${villageId}`;
  const catalogue = useCatalogue(villageId);
  const stock = useLoad((signal) => api.get<StockLine[]>(`${v}/stock`, signal), [api, v]);
  const warnings = useLoad(
    (signal) => api.get<Warnings>(`${v}/stock/warnings${entry.qs({ days: WARN_DAYS })}`, signal),
    [api, v],
  );
  const lots = useLoad((signal) => api.get<LotRecord[]>(`${v}/lots`, signal), [api, v]);
  const [room, setRoom] = useState('');
  const rooms = data ? data.sites.filter((s) => s.kind === 'storage_room') : [];
  const roomName = (id: string) => data?.site(id)?.name ?? id;
  const changed = () => {
    stock.reload();
    warnings.reload();
    lots.reload();
  };
  return (
    <>
      <h1>{t('stockTitle')}</h1>
      {data && <Rooms data={data} rooms={rooms} stock={stock.value} />}
      <section class="section" aria-labelledby="h-warnings">
        <h2 id="h-warnings">{t('warningsTitle')}</h2>
        <Pending load={warnings} />
        {warnings.value && (
          <WarningList warnings={warnings.value} catalogue={catalogue} villageId={villageId} roomName={roomName} />
        )}
      </section>
      <section class="section" aria-labelledby="h-stock">
        <h2 id="h-stock">{t('stockByLot')}</h2>
        <p class="muted small">{t('fefoNote')}</p>
        {rooms.length > 1 && (
          <div class="field">
            <label for="room-filter">{t('room')}</label>
            <select
              id="room-filter"
              value={room}
              onChange={(e) => setRoom((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t('allRooms')}</option>
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <Pending load={stock} />
        {stock.value && (
          <StockList
            lines={fefo(stock.value.filter((l) => !room || l.roomId === room))}
            catalogue={catalogue}
            villageId={villageId}
            roomName={roomName}
          />
        )}
      </section>
      {access.stock && (
        <MovementSection
          villageId={villageId}
          rooms={rooms}
          lots={lots.value ?? []}
          stock={stock.value ?? []}
          onDone={changed}
        />
      )}
      {access.inspect && (
        <section class="section" aria-labelledby="h-inspect">
          <h2 id="h-inspect">{t('inspectTitle')}</h2>
          <InspectionPicker villageId={villageId} lots={lots.value ?? []} catalogue={catalogue} onDone={changed} />
        </section>
      )}
    </>
  );
}

/** The storage rooms with their newest readings against their allowed range, as the overview shows them. */
function Rooms({ data, rooms, stock }: { data: VillageData; rooms: SiteRecord[]; stock: StockLine[] | undefined }) {
  const t = useT();
  entry.useVillage(data);
  if (rooms.length === 0) return null;
  return (
    <section class="section" aria-labelledby="h-rooms">
      <h2 id="h-rooms">{t('roomsTitle')}</h2>
      <p class="small">
        <entry.LiveStatus data={data} />
      </p>
      <div class="cards">
        {rooms.map((r) => (
          <RoomCard key={r.id} data={data} site={r} lots={stock?.filter((l) => l.roomId === r.id).length} />
        ))}
      </div>
    </section>
  );
}

function RoomCard({ data, site, lots }: { data: VillageData; site: SiteRecord; lots: number | undefined }) {
  const { lang, fmt, now } = entry.useUi();
  const t = useT();
  const status = entry.siteStatus([site], [...data.latest.values()], data.alerts, data.health);
  const readings = entry.siteReadings(data.readingsOf(site.id), data.metrics);
  const newest = readings.reduce((m, r) => Math.max(m, r.ts), 0);
  return (
    <article class="card" data-room-id={site.id}>
      <h3>
        <a href={entry.href({ page: 'site', villageId: site.villageId, siteId: site.id })}>{site.name}</a>
      </h3>
      <entry.StatusDot status={status} />
      <entry.SiteDetails site={site} now={now} />
      {readings.length > 0 ? (
        <dl class="readings">
          {readings.map((r) => {
            const bad = entry.outside(r.value, entry.limitsOf(site, r.metric));
            return (
              <div key={`${r.deviceId}/${r.metric}`} class={bad ? 'bad' : undefined}>
                <dt>{entry.metricLabel(data.metrics, r.metric, lang)}</dt>
                <dd>
                  {fmt.value(r.value, r.unit)}
                  {bad && <span class="flag"> {t('outOfRange')}</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p class="muted small">{t('noReadings')}</p>
      )}
      {newest > 0 && (
        <p class="muted small">
          <time dateTime={new Date(newest).toISOString()} title={fmt.dateTime(newest, now)}>
            {fmt.relative(newest, now)}
          </time>
        </p>
      )}
      {lots !== undefined && <p class="small">{t('lotsInRoom', { n: lots })}</p>}
    </article>
  );
}

function WarningList({
  warnings,
  catalogue,
  villageId,
  roomName,
}: {
  warnings: Warnings;
  catalogue: Catalogue;
  villageId: string;
  roomName: (id: string) => string;
}) {
  const t = useT();
  const reason = useReason();
  const { lang } = entry.useUi();
  if (warnings.expiring.length === 0 && warnings.exposure.length === 0) return <p class="muted">{t('noWarnings')}</p>;
  return (
    <ul class="alerts">
      {fefo(warnings.expiring).map((l) => (
        <li key={`e/${l.lotId}/${l.roomId}`} class="alert sev-warning" data-warning="expiry" data-lot-id={l.lotId}>
          <p class="alert-head">
            <span class="sev">{t('warningExpiry')}</span>
          </p>
          <p>
            <a href={entry.href({ page: 'lot', villageId, lotId: l.lotId })}>{l.lotId}</a> ·{' '}
            {productName(catalogue, l.productId, lang)} · {roomName(l.roomId)}
          </p>
          <p class="small">
            <Expiry date={l.expiresOn} warnDays={WARN_DAYS} />
          </p>
        </li>
      ))}
      {warnings.exposure.map((w) => (
        <li key={`x/${w.lotId}`} class="alert sev-critical" data-warning="exposure" data-lot-id={w.lotId}>
          <p class="alert-head">
            <span class="sev">{t('warningExposure')}</span>
          </p>
          <p>
            <a href={entry.href({ page: 'lot', villageId, lotId: w.lotId })}>{w.lotId}</a>
          </p>
          <ul class="reasons small">
            {w.reasons.map((r) => (
              <li key={r}>{reason(r)}</li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function StockList({
  lines,
  catalogue,
  villageId,
  roomName,
}: {
  lines: StockLine[];
  catalogue: Catalogue;
  villageId: string;
  roomName: (id: string) => string;
}) {
  const t = useT();
  const { fmt, lang } = entry.useUi();
  if (lines.length === 0) return <p class="muted">{t('noStock')}</p>;
  return (
    <ol class="plain rows" data-stock="">
      {lines.map((l) => {
        const product = catalogue.products.get(l.productId);
        return (
          <li key={`${l.lotId}/${l.roomId}`} class="row" data-lot-id={l.lotId} data-expires={l.expiresOn}>
            <p class="row-head">
              <a href={entry.href({ page: 'lot', villageId, lotId: l.lotId })}>{l.lotId}</a>
              <span>{fmt.value(l.quantity, product ? unitLabel(t, product.unit) : '')}</span>
            </p>
            <p class="small">
              {productName(catalogue, l.productId, lang)} ·{' '}
              {catalogue.producers.get(l.producerId)?.name ?? l.producerId}
            </p>
            <p class="small">
              {roomName(l.roomId)} · <Expiry date={l.expiresOn} warnDays={WARN_DAYS} />
              {l.status !== 'available' && (
                <>
                  {' '}
                  <LotStatusBadge status={l.status} />
                </>
              )}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

const EMPTY_MOVEMENT: MovementForm = {
  kind: 'receive',
  lotId: '',
  quantity: '',
  fromRoomId: '',
  toRoomId: '',
  reason: '',
  shipmentId: '',
};

function MovementSection({
  villageId,
  rooms,
  lots,
  stock,
  onDone,
}: {
  villageId: string;
  rooms: SiteRecord[];
  lots: LotRecord[];
  stock: StockLine[];
  onDone: () => void;
}) {
  const t = useT();
  const { api, fmt } = entry.useUi();
  const { form, setForm, set, done, setDone, busy, problem, setProblem, run } = useForm<
    MovementForm,
    { kind: MovementKind; lotId: string; quantity: number }
  >(EMPTY_MOVEMENT);
  const rule = MOVEMENT_FIELDS[form.kind];
  // Shipments still being packed, for a pick (loaded once the form asks for one).
  const shipments = useLoad(
    async (signal) =>
      rule.shipment
        ? (await api.get<ShipmentRecord[]>(`/villages/${villageId}/shipments`, signal)).filter(
            (s) => s.status === 'preparing',
          )
        : [],
    [api, villageId, rule.shipment],
  );
  // Lot codes to choose from: every lot of the village (a receipt is often of a lot with no stock yet).
  const codes = [...new Set([...stock.map((l) => l.lotId), ...lots.map((l) => l.id)])].sort();
  const submit = (e: Event) => {
    e.preventDefault();
    const req = movementRequest(form);
    if (!req.ok) {
      setProblem(t(`movement_${req.problem}`));
      return;
    }
    const r = req.request;
    void run(async () => {
      if (r.to === 'picks')
        await api.post<ShipmentRecord>(
          `/villages/${villageId}/shipments/${encodeURIComponent(r.shipmentId)}/picks`,
          r.body,
        );
      else await api.post<MovementRecord>(`/villages/${villageId}/stock/movements`, r.body);
      setDone({ kind: form.kind, lotId: r.body.lotId, quantity: r.body.quantity });
      setForm({ ...EMPTY_MOVEMENT, kind: form.kind });
      onDone();
    });
  };
  const roomSelect = (id: string, value: string, field: 'fromRoomId' | 'toRoomId', label: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set({ [field]: (e.currentTarget as HTMLSelectElement).value })}>
        <option value="">—</option>
        {rooms.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section class="section" aria-labelledby="h-movement">
      <h2 id="h-movement">{t('movementTitle')}</h2>
      <form class="card form" onSubmit={submit} data-form="movement">
        <fieldset class="choice">
          <legend>{t('movementKind')}</legend>
          {MOVEMENT_KIND_LIST.map((k: MovementKind) => (
            <label key={k}>
              <input type="radio" name="movement-kind" checked={form.kind === k} onChange={() => set({ kind: k })} />{' '}
              {t(`movementKind_${k}`)}
            </label>
          ))}
        </fieldset>
        <Field
          id="movement-lot"
          label={t('lotCode')}
          type="text"
          list="movement-lots"
          autoCapitalize="characters"
          autoComplete="off"
          value={form.lotId}
          onValue={(lotId) => set({ lotId })}
        >
          <datalist id="movement-lots">
            {codes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </Field>
        <Field
          id="movement-qty"
          label={rule.signed ? t('quantitySigned') : t('quantity')}
          type="text"
          inputMode={rule.signed ? 'text' : 'decimal'}
          value={form.quantity}
          onValue={(quantity) => set({ quantity })}
        />
        {rule.from && roomSelect('movement-from', form.fromRoomId, 'fromRoomId', t('fromRoom'))}
        {rule.to && roomSelect('movement-to', form.toRoomId, 'toRoomId', rule.from ? t('toRoom') : t('room'))}
        {rule.shipment && (
          <div class="field">
            <label for="movement-shipment">{t('shipment')}</label>
            <select
              id="movement-shipment"
              value={form.shipmentId}
              onChange={(e) => set({ shipmentId: (e.currentTarget as HTMLSelectElement).value })}
            >
              <option value="">—</option>
              {shipments.value?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id}
                  {s.destination ? ` · ${s.destination}` : ''}
                </option>
              ))}
            </select>
            {shipments.value?.length === 0 && <p class="small muted">{t('noPreparingShipments')}</p>}
          </div>
        )}
        <Field
          id="movement-reason"
          label={rule.reason ? t('reason') : t('reasonOptional')}
          type="text"
          value={form.reason}
          onValue={(reason) => set({ reason })}
        />
        <FormEnd
          problem={problem}
          done={
            done &&
            t('movementDone', {
              kind: t(`movementKind_${done.kind}`),
              lot: done.lotId,
              quantity: fmt.number(done.quantity),
            })
          }
          disabled={busy}
          label={t('record')}
        />
      </form>
    </section>
  );
}

/** A lot to inspect, chosen from the lots that are not recalled, then the inspection form for it. */
function InspectionPicker({
  villageId,
  lots,
  catalogue,
  onDone,
}: {
  villageId: string;
  lots: LotRecord[];
  catalogue: Catalogue;
  onDone: () => void;
}) {
  const t = useT();
  const { lang } = entry.useUi();
  const [lotId, setLotId] = useState('');
  const choices = lots.filter((l) => l.status === 'available' || l.status === 'on_hold');
  const lot = choices.find((l) => l.id === lotId);
  return (
    <>
      <div class="field">
        <label for="inspect-lot">{t('lotCode')}</label>
        <select id="inspect-lot" value={lotId} onChange={(e) => setLotId((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">—</option>
          {choices.map((l) => (
            <option key={l.id} value={l.id}>
              {l.id} · {productName(catalogue, l.productId, lang)}
            </option>
          ))}
        </select>
      </div>
      {lot && (
        <InspectionForm
          key={lot.id}
          villageId={villageId}
          lot={lot}
          aql={catalogue.products.get(lot.productId)?.aql}
          onDone={onDone}
        />
      )}
    </>
  );
}

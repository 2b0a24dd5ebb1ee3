/** @jsxImportSource . */
import type { LotDetail, LotExposure, LotRecord, LotTrace, StayExposure } from '@lumbung/schemas';
import type { Formatter } from '../../format.ts';
import type { SupplyAccess } from '../../roles.ts';
import { lotActions, svgDataUrl, traceRows } from '../../supply.ts';
import type { VillageData } from '../../village.ts';
import {
  Expiry,
  LotStatusBadge,
  type SupplyT,
  unitLabel,
  useCatalogue,
  useDuration,
  useReason,
  useT,
} from './common.tsx';
import { InspectionForm } from './inspection.tsx';
import { entry, Field, FileLink, Pending, useAction, useDate, useLoad, useState } from './kit.tsx';

type RecallResult = {
  lotId: string;
  affectedLots: string[];
  shipments: LotTrace['shipments'];
  buyers: string[];
};

/**
 * One lot: what it is and where it stands (hold, release and recall for the roles that may), its stock per
 * room, the conditions of each stay in storage, its inspections, where it came from and where it went, its QR
 * code and Digital Link, and its EPCIS document.
 */
export function LotPage({
  villageId,
  lotId,
  data,
  access,
}: {
  villageId: string;
  lotId: string;
  data: VillageData | undefined;
  access: SupplyAccess;
}) {
  const { api, fmt } = entry.useUi();
  const t = useT();
  const day = useDate();
  const v = `/villages/${villageId}`;
  const path = `${v}/lots/${encodeURIComponent(lotId)}`;
  const detail = useLoad((signal) => api.get<LotDetail>(path, signal), [api, path]);
  const catalogue = useCatalogue(villageId);
  const d = detail.value;
  if (!d) return <Pending load={detail} />;
  const names = new Map<string, string>(d.exposure?.stays.map((s) => [s.roomId, s.roomName]) ?? []);
  const roomName = (id: string) => data?.site(id)?.name ?? names.get(id) ?? id;
  const unit = unitLabel(t, d.unit);
  const origin = [d.originSiteId ? (data?.site(d.originSiteId)?.name ?? d.originSiteId) : '', d.originNote ?? '']
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      <p>
        <a href={entry.href({ page: 'lots', villageId })}>{t('backToLots')}</a>
      </p>
      <h1 data-lot-id={d.id}>{d.id}</h1>
      <p>
        {d.productName} · {d.producerName}
      </p>
      <p class="pills">
        <LotStatusBadge status={d.status} />
        {d.packaging === 'eco' && <span class="pill">{t('ecoPackaging')}</span>}
      </p>
      {d.holdReason && d.status !== 'available' && <p class="small">{t('holdReason', { reason: d.holdReason })}</p>}
      <dl class="kv facts">
        <div>
          <dt>{t('produced')}</dt>
          <dd>{day(d.producedOn)}</dd>
        </div>
        <div>
          <dt>{t('expires')}</dt>
          <dd>
            <Expiry date={d.expiresOn} />
          </dd>
        </div>
        <div>
          <dt>{t('quantity')}</dt>
          <dd>{fmt.value(d.quantity, unit)}</dd>
        </div>
        <div>
          <dt>{t('onHand')}</dt>
          <dd>{fmt.value(d.onHand, unit)}</dd>
        </div>
        {origin && (
          <div>
            <dt>{t('origin')}</dt>
            <dd>{origin}</dd>
          </div>
        )}
        {d.orderId && (
          <div>
            <dt>{t('order')}</dt>
            <dd>
              <a href={entry.href({ page: 'order', villageId, orderId: d.orderId })}>{d.orderId}</a>
            </dd>
          </div>
        )}
      </dl>
      <Actions lot={d} access={access} onChange={detail.reload} />

      <section class="section" aria-labelledby="h-lot-stock">
        <h2 id="h-lot-stock">{t('stockPerRoom')}</h2>
        {d.stock.length === 0 ? (
          <p class="muted">{t('noStockOfLot')}</p>
        ) : (
          <ul class="plain rows">
            {d.stock.map((s) => (
              <li key={s.roomId} class="row" data-room-id={s.roomId}>
                <p class="row-head">
                  <span>{roomName(s.roomId)}</span>
                  <span>{fmt.value(s.quantity, unit)}</span>
                </p>
                <p class="small muted">{t('inRoomSince', { time: fmt.dateTime(s.since) })}</p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ExposureSection exposure={d.exposure} />

      <section class="section" aria-labelledby="h-inspections">
        <h2 id="h-inspections">{t('inspectionsTitle')}</h2>
        {d.inspections.length === 0 && <p class="muted">{t('noInspections')}</p>}
        <ul class="plain rows">
          {d.inspections.map((i) => (
            <li key={i.id} class="row" data-inspection-id={i.id}>
              <p class="row-head">
                <span>{fmt.dateTime(i.at)}</span>
                <span class={`pill result-${i.result}`}>{t(`result_${i.result}`)}</span>
              </p>
              <p class="small">
                {t('inspectionLine', {
                  defects: i.defects,
                  n: i.sampleSize,
                  ac: i.acceptNumber,
                  re: i.rejectNumber,
                  aql: fmt.number(i.aql),
                })}
              </p>
              <p class="small muted">
                {i.inspector}
                {i.notes && ` · ${i.notes}`}
              </p>
            </li>
          ))}
        </ul>
        {access.inspect && (d.status === 'available' || d.status === 'on_hold') && (
          <InspectionForm
            villageId={villageId}
            lot={d}
            aql={catalogue.products.get(d.productId)?.aql}
            onDone={detail.reload}
          />
        )}
      </section>

      <TraceSection villageId={villageId} lotId={d.id} />
      <CodeSection lot={d} villageId={villageId} />
    </>
  );
}

function Actions({ lot, access, onChange }: { lot: LotDetail; access: SupplyAccess; onChange: () => void }) {
  const t = useT();
  const { api, fmt } = entry.useUi();
  const can = lotActions(lot.status, access);
  const [mode, setMode] = useState<'hold' | 'recall' | undefined>(undefined);
  const [reason, setReason] = useState('');
  const { busy, problem, setProblem, run } = useAction();
  const [recalled, setRecalled] = useState<RecallResult | undefined>(undefined);
  if (!can.hold && !can.release && !can.recall && !recalled) return null;
  const path = `/villages/${lot.villageId}/lots/${encodeURIComponent(lot.id)}`;
  const act = async (action: 'hold' | 'release' | 'recall') => {
    if (action !== 'release' && !reason.trim()) {
      setProblem(t('reasonNeeded'));
      return;
    }
    await run(async () => {
      if (action === 'recall') setRecalled(await api.post<RecallResult>(`${path}/recall`, { reason: reason.trim() }));
      else await api.post<LotRecord>(`${path}/${action}`, action === 'hold' ? { reason: reason.trim() } : {});
      setMode(undefined);
      setReason('');
      onChange();
    });
  };
  return (
    <section class="section" aria-label={t('lotActions')}>
      {!mode && (
        <div class="actions">
          {can.hold && (
            <button type="button" class="secondary" onClick={() => setMode('hold')}>
              {t('hold')}
            </button>
          )}
          {can.release && (
            <button type="button" disabled={busy} onClick={() => void act('release')}>
              {t('release')}
            </button>
          )}
          {can.recall && (
            <button type="button" class="danger" onClick={() => setMode('recall')}>
              {t('recall')}
            </button>
          )}
        </div>
      )}
      {mode && (
        <form
          class="card form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(mode);
          }}
        >
          {mode === 'recall' && <p class="warnbox small">{t('recallWarning')}</p>}
          <Field
            id="lot-reason"
            label={mode === 'hold' ? t('holdWhy') : t('recallWhy')}
            type="text"
            value={reason}
            onValue={setReason}
          />
          <div class="actions">
            <button type="submit" class={mode === 'recall' ? 'danger' : undefined} disabled={busy}>
              {mode === 'hold' ? t('holdConfirm') : t('recallConfirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setMode(undefined)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
      <entry.Problem text={problem} />
      {recalled && (
        <div class="warnbox" role="status">
          <p>
            <strong>{t('recallDone', { n: recalled.affectedLots.length })}</strong>
          </p>
          <p class="small">{recalled.affectedLots.join(', ')}</p>
          {recalled.buyers.length > 0 && (
            <p class="small">{t('notifyBuyers', { names: recalled.buyers.join(', ') })}</p>
          )}
          {recalled.shipments.map((s) => (
            <p key={s.shipmentId} class="small muted">
              {s.shipmentId} · {s.buyerName}
              {s.dispatchedAt && ` · ${fmt.dateTime(s.dispatchedAt)}`}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}

function specText(t: SupplyT, fmt: Formatter, e: LotExposure): string {
  const range = (min: number | null, max: number | null, unit: string) =>
    entry.rangeText(t, fmt, { min: min ?? undefined, max: max ?? undefined }, unit);
  return [range(e.spec.temperatureMin, e.spec.temperatureMax, '°C'), range(e.spec.humidityMin, e.spec.humidityMax, '%')]
    .filter(Boolean)
    .join(', ');
}

/** Storage conditions of the lot: per stay in a room and in total, and whether it should be inspected. */
function ExposureSection({ exposure: e }: { exposure: LotExposure | null }) {
  const t = useT();
  const { fmt } = entry.useUi();
  const duration = useDuration();
  const reason = useReason();
  const spec = e ? specText(t, fmt, e) : '';
  return (
    <section class="section" aria-labelledby="h-exposure" data-exposure="">
      <h2 id="h-exposure">{t('exposureTitle')}</h2>
      {!e || e.stays.length === 0 ? (
        <p class="muted">{t('noExposure')}</p>
      ) : (
        <>
          {e.inspect ? (
            <div class="warnbox" role="alert" data-inspect="true">
              <p>
                <strong>{t('needsInspection')}</strong>
              </p>
              <ul class="reasons small">
                {e.reasons.map((r) => (
                  <li key={r}>{reason(r)}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p class="okbox small" data-inspect="false">
              {t('exposureOk')}
              {e.reasons.length > 0 && ` ${e.reasons.map(reason).join('; ')}`}
            </p>
          )}
          {spec && <p class="small">{t('storageSpec', { range: spec })}</p>}
          <dl class="kv">
            {e.total.mkt !== null && (
              <div>
                <dt>
                  <abbr title={t('mktLong')}>MKT</abbr>
                </dt>
                <dd>{fmt.value(e.total.mkt, '°C', 1)}</dd>
              </div>
            )}
            {e.total.minTemperature !== null && e.total.maxTemperature !== null && (
              <div>
                <dt>{t('temperatureRange')}</dt>
                <dd>
                  {fmt.number(e.total.minTemperature, 1)}–{fmt.value(e.total.maxTemperature, '°C', 1)}
                </dd>
              </div>
            )}
            <div class={e.total.temperatureOutsideMs > 0 ? 'bad' : undefined}>
              <dt>{t('temperatureOutside')}</dt>
              <dd>{duration(e.total.temperatureOutsideMs)}</dd>
            </div>
            <div class={e.total.humidityOutsideMs > 0 ? 'bad' : undefined}>
              <dt>{t('humidityOutside')}</dt>
              <dd>{duration(e.total.humidityOutsideMs)}</dd>
            </div>
            <div class={e.total.excursions > 0 ? 'bad' : undefined}>
              <dt>{t('excursions')}</dt>
              <dd>{e.total.excursions}</dd>
            </div>
          </dl>
          <div class="cards stays">
            {e.stays.map((s) => (
              <Stay key={`${s.roomId}/${s.from}`} stay={s} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function Stay({ stay: s }: { stay: StayExposure }) {
  const t = useT();
  const { fmt, now } = entry.useUi();
  const duration = useDuration();
  const temp = s.temperature;
  const rh = s.humidity;
  const n = (x: number) => fmt.number(x, 1);
  return (
    <article class="card" data-stay-room={s.roomId}>
      <h3>{s.roomName}</h3>
      <p class="small muted">
        {s.to === null
          ? t('staySince', { from: fmt.dateTime(s.from, now) })
          : t('stayFromTo', { from: fmt.dateTime(s.from, now), to: fmt.dateTime(s.to, now) })}
      </p>
      {temp || rh ? (
        <table class="table">
          <thead>
            <tr>
              <td />
              <th scope="col" class="num">
                {t('min')}
              </th>
              <th scope="col" class="num">
                {t('max')}
              </th>
              <th scope="col" class="num">
                {t('mean')}
              </th>
            </tr>
          </thead>
          <tbody>
            {temp && (
              <tr data-metric="temperature">
                <th scope="row">{t('temperatureC')}</th>
                <td class="num">{n(temp.min)}</td>
                <td class="num">{n(temp.max)}</td>
                <td class="num">{n(temp.mean)}</td>
              </tr>
            )}
            {rh && (
              <tr data-metric="humidity">
                <th scope="row">{t('humidityPct')}</th>
                <td class="num">{n(rh.min)}</td>
                <td class="num">{n(rh.max)}</td>
                <td class="num">{n(rh.mean)}</td>
              </tr>
            )}
          </tbody>
        </table>
      ) : (
        <p class="muted small">{t('noReadingsInStay')}</p>
      )}
      <dl class="kv small">
        {temp?.mkt !== null && temp?.mkt !== undefined && (
          <div>
            <dt>MKT</dt>
            <dd>{fmt.value(temp.mkt, '°C', 1)}</dd>
          </div>
        )}
        {temp && (
          <div class={temp.outsideMs > 0 ? 'bad' : undefined}>
            <dt>{t('temperatureOutside')}</dt>
            <dd>
              {duration(temp.outsideMs)} · {t('excursionsN', { n: temp.excursions })}
            </dd>
          </div>
        )}
        {rh && (
          <div class={rh.outsideMs > 0 ? 'bad' : undefined}>
            <dt>{t('humidityOutside')}</dt>
            <dd>
              {duration(rh.outsideMs)} · {t('excursionsN', { n: rh.excursions })}
            </dd>
          </div>
        )}
        {s.noDataMs > 0 && (
          <div>
            <dt>{t('noData')}</dt>
            <dd>{duration(s.noDataMs)}</dd>
          </div>
        )}
      </dl>
    </article>
  );
}

/** Backward: what the lot was made from, down to the harvest; forward: what was made from it and who got it. */
function TraceSection({ villageId, lotId }: { villageId: string; lotId: string }) {
  const t = useT();
  const { api, fmt } = entry.useUi();
  const day = useDate();
  const [direction, setDirection] = useState<'backward' | 'forward'>('backward');
  const path = `/villages/${villageId}/lots/${encodeURIComponent(lotId)}/trace${entry.qs({ direction })}`;
  const trace = useLoad((signal) => api.get<LotTrace>(path, signal), [api, path]);
  const tr = trace.value?.direction === direction ? trace.value : undefined;
  return (
    <section class="section" aria-labelledby="h-trace">
      <h2 id="h-trace">{t('traceTitle')}</h2>
      <fieldset class="ranges">
        <legend class="sr-only">{t('traceDirection')}</legend>
        {(['backward', 'forward'] as const).map((dir) => (
          <button
            key={dir}
            type="button"
            aria-pressed={direction === dir}
            data-direction={dir}
            onClick={() => setDirection(dir)}
          >
            {t(`trace_${dir}`)}
          </button>
        ))}
      </fieldset>
      {!tr && <Pending load={trace} />}
      {tr && (
        <div data-trace={tr.direction}>
          <p class="small muted">{t(`traceHint_${tr.direction}`)}</p>
          <ul class="plain trace">
            {traceRows(tr).map((r, i) => (
              <li
                key={`${r.node.lotId}/${i}`}
                class="trace-row"
                data-lot-id={r.node.lotId}
                data-level={r.level}
                style={{ marginLeft: `${Math.min(r.level, 6) * 0.9}rem` }}
              >
                <p class="row-head">
                  {r.node.lotId === lotId ? (
                    <strong>{r.node.lotId}</strong>
                  ) : (
                    <a href={entry.href({ page: 'lot', villageId, lotId: r.node.lotId })}>{r.node.lotId}</a>
                  )}
                  <span>
                    {fmt.value(r.quantity ?? r.node.quantity, unitLabel(t, r.node.unit))}
                    {r.quantity !== undefined && <span class="muted small"> {t('usedHere')}</span>}
                  </span>
                </p>
                <p class="small">
                  {r.node.productName} · {r.node.producerName}
                  {r.node.producerVillage && ` (${r.node.producerVillage})`}
                </p>
                <p class="small muted">
                  {t('producedOn', { date: day(r.node.producedOn) })}
                  {(r.node.originNote || r.node.originSiteId) &&
                    ` · ${t('originIs', { origin: r.node.originNote ?? r.node.originSiteId ?? '' })}`}
                  {r.node.status !== 'available' && (
                    <>
                      {' '}
                      <LotStatusBadge status={r.node.status} />
                    </>
                  )}
                  {r.repeat && ` · ${t('seenAbove')}`}
                </p>
              </li>
            ))}
          </ul>
          {tr.shipments.length > 0 && (
            <>
              <h3>{t('shipmentsTitle')}</h3>
              <ul class="plain rows">
                {tr.shipments.map((s) => (
                  <li key={s.shipmentId} class="row" data-shipment-id={s.shipmentId}>
                    <p class="row-head">
                      <span>
                        {s.shipmentId} · {s.buyerName}
                      </span>
                      <span class={`pill ship-${s.status}`}>{t(`shipmentStatus_${s.status}`)}</span>
                    </p>
                    <p class="small muted">
                      {s.dispatchedAt ? t('dispatchedAt', { time: fmt.dateTime(s.dispatchedAt) }) : t('notDispatched')}
                      {' · '}
                      {s.lots.map((l) => `${l.lotId} (${fmt.number(l.quantity)})`).join(', ')}
                    </p>
                  </li>
                ))}
              </ul>
            </>
          )}
          {tr.buyers.length > 0 && <p class="small">{t('buyersAre', { names: tr.buyers.join(', ') })}</p>}
        </div>
      )}
    </section>
  );
}

/** The QR code (fetched with the token, shown as an image), the Digital Link, the public page and EPCIS. */
function CodeSection({ lot, villageId }: { lot: LotDetail; villageId: string }) {
  const t = useT();
  const { api, lang } = entry.useUi();
  const path = `/villages/${villageId}/lots/${encodeURIComponent(lot.id)}`;
  const qr = useLoad(
    async () => svgDataUrl(await (await api.file(`${path}/qr.svg`, 'image/svg+xml')).text()),
    [api, lang, path],
  );
  return (
    <section class="section" aria-labelledby="h-codes">
      <h2 id="h-codes">{t('codesTitle')}</h2>
      <div class="qr-box">
        {qr.value ? (
          <img class="qr" src={qr.value} alt={t('qrAlt', { lot: lot.id })} width={180} height={180} />
        ) : (
          <Pending load={qr} />
        )}
        <div>
          <p class="small">{t('digitalLink')}</p>
          <p class="small">
            <a href={lot.digitalLink} rel="noopener" data-digital-link="">
              {lot.digitalLink}
            </a>
          </p>
          <ul class="links small">
            <li>
              <a href={entry.href({ page: 'trace', villageId, lotId: lot.id })}>{t('publicPage')}</a>
            </li>
            <li>
              <FileLink path={`${path}/epcis`} accept="application/ld+json" name={`${lot.id}.epcis.jsonld`}>
                {t('epcisDownload')}
              </FileLink>
            </li>
          </ul>
        </div>
      </div>
    </section>
  );
}

/** @jsxImportSource . */
import type { LotRecord, LotStatus } from '@lumbung/schemas';
import { Expiry, LotStatusBadge, productName, unitLabel, useCatalogue, useT } from './common.tsx';
import { entry, Pending, useDate, useLoad, useState } from './kit.tsx';

const STATUSES: LotStatus[] = ['available', 'on_hold', 'recalled', 'expired'];

/** The village's lots, newest production first (a buyer: the lots of their orders), filtered by status. */
export function LotsPage({ villageId }: { villageId: string }) {
  const { api, fmt, lang } = entry.useUi();
  const t = useT();
  const day = useDate();
  const [status, setStatus] = useState<LotStatus | ''>('');
  const v = `/villages/${villageId}`;
  const catalogue = useCatalogue(villageId);
  const lots = useLoad(
    (signal) => api.get<LotRecord[]>(`${v}/lots${entry.qs({ status: status || undefined })}`, signal),
    [api, v, status],
  );
  return (
    <>
      <h1>{t('lotsTitle')}</h1>
      <div class="field">
        <label for="lot-status">{t('lotStatus')}</label>
        <select
          id="lot-status"
          value={status}
          onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as LotStatus | '')}
        >
          <option value="">{t('allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`lotStatus_${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Pending load={lots} />
      {lots.value?.length === 0 && <p class="muted">{t('noLots')}</p>}
      <ul class="plain rows" data-lots="">
        {lots.value?.map((l) => (
          <li key={l.id} class="row" data-lot-id={l.id}>
            <p class="row-head">
              <a href={entry.href({ page: 'lot', villageId, lotId: l.id })}>{l.id}</a>
              <span>{fmt.value(l.quantity, unitLabel(t, l.unit))}</span>
            </p>
            <p class="small">
              {productName(catalogue, l.productId, lang)} ·{' '}
              {catalogue.producers.get(l.producerId)?.name ?? l.producerId}
            </p>
            <p class="small">
              {t('producedOn', { date: day(l.producedOn) })} · <Expiry date={l.expiresOn} />
              {l.status !== 'available' && (
                <>
                  {' '}
                  <LotStatusBadge status={l.status} />
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

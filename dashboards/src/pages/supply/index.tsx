/** @jsxImportSource . */
import type { SupplyAccess } from '../../roles.ts';
import type { SupplyRoute } from '../../route.ts';
import type { VillageData } from '../../village.ts';
import { useT } from './common.tsx';
import { LotPage } from './lot.tsx';
import { LotsPage } from './lots.tsx';
import { OrderPage, OrdersPage } from './orders.tsx';
import { StockPage } from './stock.tsx';

export { install, type Kit } from './kit.tsx';

/**
 * The supply-chain pages of a village (issue 5), one lazily loaded chunk: the entry imports it when one of
 * these pages is first opened, hands it its Preact and helpers (`install`), then renders this component.
 * `data` is the village's live data for the roles that read telemetry (the packing house's rooms); a buyer has
 * none.
 */
export function SupplyPage({
  route,
  data,
  access,
}: {
  route: SupplyRoute;
  data: VillageData | undefined;
  access: SupplyAccess;
}) {
  const t = useT();
  const v = route.villageId;
  switch (route.page) {
    case 'orders':
      return <OrdersPage villageId={v} />;
    case 'order':
      return <OrderPage villageId={v} orderId={route.orderId} access={access} />;
    case 'stock':
      return access.stock ? (
        <StockPage villageId={v} data={data} access={access} />
      ) : (
        <p role="status">{t('noStockAccess')}</p>
      );
    case 'lots':
      return <LotsPage villageId={v} />;
    case 'lot':
      return <LotPage villageId={v} lotId={route.lotId} data={data} access={access} />;
  }
}

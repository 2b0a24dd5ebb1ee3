import { useUi } from '../context.ts';
import type { Role } from '../roles.ts';

/**
 * For the roles whose pages come with later issues (CSR partner: indicators and reports; buyer: trace pages):
 * what they will see here, and no sensor data meanwhile.
 */
export function LimitedPage({ roles }: { roles: readonly Role[] }) {
  const { t } = useUi();
  const later = roles.filter((r): r is 'csr_partner' | 'buyer' => r === 'csr_partner' || r === 'buyer');
  if (later.length === 0)
    return (
      <p class="card" role="status">
        {t('noRoles')}
      </p>
    );
  return (
    <div class="limited">
      <h1>{t('limitedTitle')}</h1>
      {later.map((r) => (
        <p key={r}>{t(`limited_${r}`)}</p>
      ))}
      <p>{t('limitedLater')}</p>
      <p class="muted">{t('limitedContact')}</p>
    </div>
  );
}

import type { ApiError } from './api.ts';
import { useUi } from './context.ts';
import type { SiteStatus } from './status.ts';

export function StatusDot({ status }: { status: SiteStatus }) {
  const { t } = useUi();
  return (
    <span class={`status status-${status}`}>
      <span class="dot" aria-hidden="true" />
      {t(`siteStatus_${status}`)}
    </span>
  );
}

export function Loading() {
  const { t } = useUi();
  return (
    <p class="muted" role="status">
      {t('loading')}
    </p>
  );
}

/** A form's or an action's failure, under it (the page's own error is an ErrorBox). */
export function Problem({ text }: { text: string | undefined }) {
  return text ? (
    <p class="error small" role="alert">
      {text}
    </p>
  ) : null;
}

export function ErrorBox({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useUi();
  return (
    <div class="error" role="alert">
      <p>{error.code === 'NETWORK' ? t('errorNetwork') : t('errorApi', { message: error.message })}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

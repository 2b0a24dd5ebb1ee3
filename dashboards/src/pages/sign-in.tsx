import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import type { Auth } from '../auth.ts';
import { useUi } from '../context.ts';
import { Problem } from '../ui.tsx';

/**
 * A phone number as typed in Indonesia ("0812-3456-7890", "62812…", "+62 812 …") in E.164 (+62812…), as the
 * API wants it; undefined when it cannot be one.
 */
export function e164(input: string): string | undefined {
  let s = input.replace(/[\s().-]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  else if (s.startsWith('0')) s = `+62${s.slice(1)}`;
  else if (s.startsWith('62')) s = `+${s}`;
  return /^\+[1-9][0-9]{6,14}$/.test(s) ? s : undefined;
}

type Way = 'password' | 'phone';

/**
 * A form that calls the API: busy while the call runs, and the API's message when it fails (as it came, in the
 * language asked for), or ours for a network failure. `run` says whether the call succeeded; after a sign-in the
 * form stays busy until the app replaces the page.
 */
function useCall() {
  const { t } = useUi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const run = async (call: () => Promise<unknown>): Promise<boolean> => {
    setProblem(undefined);
    setBusy(true);
    try {
      await call();
      return true;
    } catch (e) {
      setProblem(e instanceof ApiError ? (e.code === 'NETWORK' ? t('errorNetwork') : e.message) : String(e));
      setBusy(false);
      return false;
    }
  };
  return { busy, setBusy, problem, setProblem, run };
}

/** A labelled input (its `name` is its id too), with a hint under it when given. */
function Field({
  name,
  label,
  hint,
  ...input
}: { name: string; label: string; hint?: string } & JSX.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <input id={name} name={name} aria-describedby={hint ? `${name}-hint` : undefined} {...input} />
      {hint && (
        <p id={`${name}-hint`} class="muted small">
          {hint}
        </p>
      )}
    </div>
  );
}

/** Shown when there is no session: username and password, or a one-time code sent to a phone. */
export function SignInPage({ auth }: { auth: Auth }) {
  const { t } = useUi();
  const [way, setWay] = useState<Way>('password');
  const tabs: [Way, string][] = [
    ['password', t('tabPassword')],
    ['phone', t('tabPhone')],
  ];
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  // Arrow keys move between the tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next: Way = way === 'password' ? 'phone' : 'password';
    const to = e.key === 'Home' ? 'password' : e.key === 'End' ? 'phone' : next;
    setWay(to);
    refs.current[to]?.focus();
  };
  return (
    <div class="signin">
      <h1>{t('signInTitle')}</h1>
      {auth.ended === 'expired' ? <p role="status">{t('sessionEnded')}</p> : <p class="muted">{t('signInIntro')}</p>}
      <div class="way-tabs" role="tablist" aria-label={t('signInWays')}>
        {tabs.map(([w, label]) => (
          <button
            key={w}
            ref={(el) => {
              refs.current[w] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${w}`}
            aria-selected={way === w}
            aria-controls={`panel-${w}`}
            tabIndex={way === w ? 0 : -1}
            onClick={() => setWay(w)}
            onKeyDown={onKey}
          >
            {label}
          </button>
        ))}
      </div>
      {tabs.map(([w]) => (
        <div key={w} class="card" role="tabpanel" id={`panel-${w}`} aria-labelledby={`tab-${w}`} hidden={way !== w}>
          {w === 'password' ? <PasswordForm auth={auth} /> : <PhoneForm auth={auth} />}
        </div>
      ))}
    </div>
  );
}

function PasswordForm({ auth }: { auth: Auth }) {
  const { t } = useUi();
  const { busy, problem, run } = useCall();
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    // The benchmark (bench/dashboard.ts) times from here to the overview showing its data.
    performance.mark('lumbung:sign-in-submit');
    void run(() => auth.login(String(form.get('username') ?? '').trim(), String(form.get('password') ?? '')));
  };
  return (
    <form onSubmit={submit} aria-busy={busy}>
      <Field
        name="username"
        label={t('username')}
        type="text"
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        required
        maxLength={64}
      />
      <Field
        name="password"
        label={t('password')}
        type="password"
        autocomplete="current-password"
        required
        maxLength={1024}
      />
      <Problem text={problem} />
      <button type="submit" disabled={busy}>
        {busy ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}

function PhoneForm({ auth }: { auth: Auth }) {
  const { t } = useUi();
  const [phone, setPhone] = useState<string | undefined>();
  const { busy, setBusy, problem, setProblem, run } = useCall();

  const send = async (number: string) => {
    if (await run(() => auth.requestCode(number))) {
      setPhone(number);
      setBusy(false);
    }
  };

  const onPhone = (e: Event) => {
    e.preventDefault();
    const typed = String(new FormData(e.currentTarget as HTMLFormElement).get('phone') ?? '');
    const number = e164(typed);
    if (!number) {
      setProblem(t('phoneInvalid'));
      return;
    }
    void send(number);
  };

  const onCode = (e: Event) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget as HTMLFormElement).get('code') ?? '').replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) {
      setProblem(t('codeInvalid'));
      return;
    }
    void run(() => auth.verifyCode(phone!, code));
  };

  if (!phone)
    return (
      <form onSubmit={onPhone} aria-busy={busy}>
        <Field
          name="phone"
          label={t('phone')}
          hint={t('phoneHint')}
          type="tel"
          inputMode="tel"
          autocomplete="tel"
          required
          maxLength={24}
        />
        <Problem text={problem} />
        <button type="submit" disabled={busy}>
          {busy ? t('sendingCode') : t('sendCode')}
        </button>
      </form>
    );
  return (
    <form onSubmit={onCode} aria-busy={busy}>
      <p role="status">{t('codeSent', { phone })}</p>
      <Field
        name="code"
        label={t('code')}
        type="text"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9 ]*"
        required
        maxLength={7}
      />
      <Problem text={problem} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void send(phone)}>
          {t('resendCode')}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setProblem(undefined);
            setPhone(undefined);
          }}
        >
          {t('changePhone')}
        </button>
      </div>
    </form>
  );
}

import { randomInt } from 'node:crypto';
import type { Logger } from '@lumbung/runtime';
import { ApiFailure } from '../errors.ts';
import type { Accounts, AuditEventRecord, MembershipRecord, NewAuditEvent, UserRecord } from '../registry/accounts.ts';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, type ScryptParams, verifyPassword } from './passwords.ts';
import { Principal } from './permissions.ts';
import { RateLimiter } from './rate-limit.ts';
import { opaqueToken, TokenSigner, tokenHash } from './tokens.ts';

export interface AuthPolicy {
  /** Access token lifetime, s. Default 15 min. */
  accessTtlSeconds: number;
  /** Refresh token (session) lifetime, ms. Default 30 days. */
  refreshTtlMs: number;
  /** Failed sign-ins before a temporary lock, and its length. Default 5 and 15 min. */
  maxFailures: number;
  lockMs: number;
  /** One-time codes: lifetime, wrong tries allowed, codes per phone per hour. Default 5 min, 5, 5. */
  otpTtlMs: number;
  otpMaxAttempts: number;
  otpPerHour: number;
  /** Sign-in attempts per address: burst and refill per second. Default 10, then one every 6 s. */
  loginBurst: number;
  loginRefillPerSecond: number;
  scrypt: ScryptParams;
}

export const DEFAULT_POLICY: AuthPolicy = {
  accessTtlSeconds: 15 * 60,
  refreshTtlMs: 30 * 86_400_000,
  maxFailures: 5,
  lockMs: 15 * 60_000,
  otpTtlMs: 5 * 60_000,
  otpMaxAttempts: 5,
  otpPerHour: 5,
  loginBurst: 10,
  loginRefillPerSecond: 1 / 6,
  scrypt: DEFAULT_SCRYPT,
};

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: { id: string; username: string; displayName: string };
  memberships: { role: string; villageId: string | null; siteIds: string[] }[];
}

export interface RequestContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Where one-time codes go: in the demo the log and the outbox table; an SMS or WhatsApp gateway later. */
export interface NotificationPort {
  send(n: { channel: 'sms' | 'whatsapp' | 'log'; recipient: string; subject?: string; body: string }): Promise<void>;
}

/**
 * Sign-in and tokens: passwords (scrypt), phone numbers with one-time codes, sessions with rotating
 * refresh tokens, API tokens for integrations, temporary lockout and per-address rate limits, and an audit
 * event for every sign-in, failed sign-in and lock.
 */
export class AuthService {
  readonly policy: AuthPolicy;
  readonly #limiter: RateLimiter;
  readonly #signer: TokenSigner;

  constructor(
    private readonly d: {
      accounts: Accounts;
      key: Buffer;
      notifier: NotificationPort;
      logger: Logger;
      policy?: Partial<AuthPolicy>;
      now?: () => number;
    },
  ) {
    this.policy = { ...DEFAULT_POLICY, ...d.policy };
    this.#signer = new TokenSigner(d.key);
    this.#limiter = new RateLimiter({
      capacity: this.policy.loginBurst,
      refillPerSecond: this.policy.loginRefillPerSecond,
      now: () => this.#now(),
    });
  }

  #now(): number {
    return this.d.now?.() ?? Date.now();
  }

  async hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.policy.scrypt);
  }

  async audit(e: Omit<NewAuditEvent, 'at'> & { at?: number }): Promise<AuditEventRecord | undefined> {
    try {
      return await this.d.accounts.appendAudit({ ...e, at: e.at ?? this.#now() });
    } catch (err) {
      // The audit log must not turn a sign-in into a failure; a lost audit line is logged loudly instead.
      this.d.logger.error({ err, action: e.action }, 'audit event not written');
      return undefined;
    }
  }

  /**
   * An event done by a signed-in user (or by a device or the system: a label) from an address; successful
   * unless it says otherwise.
   */
  auditBy(
    actor: { userId: string; username: string } | string,
    ip: string | undefined,
    e: Pick<NewAuditEvent, 'action' | 'villageId' | 'targetType' | 'targetId' | 'details'> & { success?: boolean },
  ): Promise<AuditEventRecord | undefined> {
    const who =
      typeof actor === 'string'
        ? { actorUserId: null, actorLabel: actor }
        : { actorUserId: actor.userId, actorLabel: actor.username };
    return this.audit({ ...e, ...who, ip: ip ?? null, success: e.success ?? true });
  }

  /**
   * A sign-in event (success or failure) about a user, or about a name or number nobody has. It is filed
   * under the user's village when they have exactly one, so that village's admins see it.
   */
  async #auditSignIn(
    who: { user: UserRecord | undefined; label: string; memberships?: readonly { villageId: string | null }[] },
    ctx: RequestContext,
    e: { action: 'auth.login' | 'auth.login_failed' | 'auth.locked'; details?: NewAuditEvent['details'] },
  ): Promise<void> {
    const memberships = who.user ? (who.memberships ?? (await this.d.accounts.listMemberships(who.user.id))) : [];
    const villages = new Set(memberships.map((m) => m.villageId).filter(Boolean));
    await this.audit({
      action: e.action,
      actorUserId: who.user?.id ?? null,
      actorLabel: who.user?.username ?? who.label.slice(0, 64),
      villageId: villages.size === 1 ? ([...villages][0] as string) : null,
      ip: ctx.ip ?? null,
      success: e.action === 'auth.login',
      details: e.details ?? null,
    });
  }

  /** Username and password. Wrong username and wrong password look the same, and take the same time. */
  async login(username: string, password: string, ctx: RequestContext): Promise<SignedIn> {
    this.#limiter.enforce(`ip:${ctx.ip ?? '-'}`);
    const user = await this.d.accounts.getUserByUsername(username);
    const now = this.#now();
    if (user?.lockedUntil && user.lockedUntil > now) {
      await this.#auditSignIn({ user, label: username }, ctx, {
        action: 'auth.login_failed',
        details: { reason: 'locked' },
      });
      throw new ApiFailure('LUMBUNG_ERR_ACCOUNT_LOCKED', { minutes: Math.ceil((user.lockedUntil - now) / 60_000) });
    }
    const ok = await verifyPassword(password, user?.passwordHash, this.policy.scrypt);
    if (!user || !ok || user.disabledAt !== null) {
      if (user) {
        const r = await this.d.accounts.recordLoginFailure(user.id, now, this.policy);
        if (r?.lockedUntil && r.failedLogins === this.policy.maxFailures)
          await this.#auditSignIn({ user, label: username }, ctx, {
            action: 'auth.locked',
            details: { until: r.lockedUntil },
          });
      }
      await this.#auditSignIn({ user, label: username }, ctx, { action: 'auth.login_failed' });
      throw new ApiFailure('LUMBUNG_ERR_LOGIN_FAILED');
    }
    if (user.failedLogins > 0) await this.d.accounts.resetLoginFailures(user.id);
    if (user.passwordHash && needsRehash(user.passwordHash, this.policy.scrypt))
      await this.d.accounts.updateUser(user.id, { passwordHash: await this.hashPassword(password) });
    return this.#startSession(user, ctx, 'password');
  }

  /** Sends a one-time code to a registered phone number. Unknown numbers get the same answer and nothing is sent. */
  async requestOtp(phone: string, ctx: RequestContext): Promise<void> {
    this.#limiter.enforce(`ip:${ctx.ip ?? '-'}`);
    const now = this.#now();
    const user = await this.d.accounts.getUserByPhone(phone);
    if (!user || user.disabledAt !== null) return;
    if ((await this.d.accounts.countOtpsSince(phone, now - 3_600_000)) >= this.policy.otpPerHour)
      throw new ApiFailure('LUMBUNG_ERR_RATE_LIMITED', {}, { retryAfterSeconds: 3600 });
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.d.accounts.createOtp({
      phone,
      codeHash: tokenHash(`${phone}:${code}`),
      createdAt: now,
      expiresAt: now + this.policy.otpTtlMs,
    });
    await this.d.notifier.send({
      channel: 'sms',
      recipient: phone,
      body: `Kode masuk Lumbung: ${code}. Berlaku ${Math.round(this.policy.otpTtlMs / 60_000)} menit. Jangan berikan kepada siapa pun.`,
    });
  }

  async verifyOtp(phone: string, code: string, ctx: RequestContext): Promise<SignedIn> {
    this.#limiter.enforce(`ip:${ctx.ip ?? '-'}`);
    const now = this.#now();
    const otp = await this.d.accounts.latestOtp(phone);
    const user = otp ? await this.d.accounts.getUserByPhone(phone) : undefined;
    const fail = async () => {
      await this.#auditSignIn({ user, label: phone }, ctx, { action: 'auth.login_failed', details: { method: 'otp' } });
      return new ApiFailure('LUMBUNG_ERR_OTP_INVALID');
    };
    if (!otp || !user || otp.usedAt !== null || otp.expiresAt <= now || user.disabledAt !== null) throw await fail();
    const attempts = await this.d.accounts.recordOtpAttempt(otp.id);
    if (attempts === undefined || attempts > this.policy.otpMaxAttempts) throw await fail();
    if (otp.codeHash.replace(/^sha256:/, '') !== tokenHash(`${phone}:${code}`)) throw await fail();
    if (!(await this.d.accounts.markOtpUsed(otp.id, now))) throw await fail();
    return this.#startSession(user, ctx, 'otp');
  }

  async #startSession(user: UserRecord, ctx: RequestContext, method: 'password' | 'otp'): Promise<SignedIn> {
    const now = this.#now();
    const refreshToken = opaqueToken('lbr');
    const session = await this.d.accounts.createSession({
      userId: user.id,
      refreshTokenHash: tokenHash(refreshToken),
      createdAt: now,
      expiresAt: now + this.policy.refreshTtlMs,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
    });
    const memberships = await this.d.accounts.listMemberships(user.id);
    await this.#auditSignIn({ user, label: user.username, memberships }, ctx, {
      action: 'auth.login',
      details: { method },
    });
    return this.#tokens(user, session.id, refreshToken, memberships);
  }

  async #tokens(
    user: UserRecord,
    sessionId: string,
    refreshToken: string,
    memberships: readonly MembershipRecord[],
  ): Promise<SignedIn> {
    const iat = Math.floor(this.#now() / 1000);
    return {
      accessToken: this.#signer.sign({ sub: user.id, sid: sessionId, iat, exp: iat + this.policy.accessTtlSeconds }),
      refreshToken,
      expiresIn: this.policy.accessTtlSeconds,
      user: { id: user.id, username: user.username, displayName: user.displayName },
      memberships: memberships.map((m) => ({ role: m.role, villageId: m.villageId, siteIds: m.siteIds })),
    };
  }

  /** A refresh token works once: it is exchanged for a new pair, and a second use fails. */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const now = this.#now();
    const hash = tokenHash(refreshToken);
    const session = await this.d.accounts.getSessionByRefreshHash(hash);
    if (!session || session.revokedAt !== null || session.expiresAt <= now)
      throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
    const user = await this.d.accounts.getUser(session.userId);
    if (!user || user.disabledAt !== null) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
    const next = opaqueToken('lbr');
    const rotated = await this.d.accounts.rotateSession(session.id, {
      fromHash: hash,
      toHash: tokenHash(next),
      expiresAt: now + this.policy.refreshTtlMs,
      at: now,
    });
    if (!rotated) throw new ApiFailure('LUMBUNG_ERR_UNAUTHORIZED');
    return this.#tokens(user, session.id, next, await this.d.accounts.listMemberships(user.id));
  }

  async logout(principal: AuthenticatedPrincipal, ctx: RequestContext): Promise<void> {
    if (principal.sessionId) await this.d.accounts.revokeSession(principal.sessionId, this.#now());
    await this.auditBy(principal, ctx.ip, { action: 'auth.logout' });
  }

  /**
   * The user behind an `Authorization: Bearer` value: an access token (checked by signature, then its
   * session and the user's current roles) or an API token. Undefined for anything else.
   */
  async authenticate(bearer: string): Promise<AuthenticatedPrincipal | undefined> {
    const now = this.#now();
    let userId: string;
    let sessionId: string | undefined;
    if (bearer.startsWith('lbt_')) {
      const t = await this.d.accounts.getApiTokenByHash(tokenHash(bearer));
      if (!t || t.revokedAt !== null || (t.expiresAt !== null && t.expiresAt <= now)) return undefined;
      await this.d.accounts.touchApiToken(t.id, now);
      userId = t.userId;
    } else {
      const claims = this.#signer.verify(bearer, Math.floor(now / 1000));
      if (!claims) return undefined;
      // A signed-out session ends its access tokens at once, not when they expire.
      const session = await this.d.accounts.getSession(claims.sid);
      if (!session || session.revokedAt !== null || session.userId !== claims.sub) return undefined;
      userId = claims.sub;
      sessionId = claims.sid;
    }
    const [user, memberships] = await Promise.all([
      this.d.accounts.getUser(userId),
      this.d.accounts.listMemberships(userId),
    ]);
    if (!user || user.disabledAt !== null) return undefined;
    return new AuthenticatedPrincipal(
      user.id,
      user.username,
      memberships.map((m) => ({ role: m.role, villageId: m.villageId, siteIds: m.siteIds })),
      sessionId,
    );
  }
}

export class AuthenticatedPrincipal extends Principal {
  constructor(
    userId: string,
    username: string,
    memberships: ConstructorParameters<typeof Principal>[2],
    readonly sessionId: string | undefined,
  ) {
    super(userId, username, memberships);
  }
}

/** The demo's notification port: the message goes to the log and the outbox table (nothing is sent). */
export class OutboxNotifier implements NotificationPort {
  constructor(
    private readonly accounts: Accounts,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async send(n: { channel: 'sms' | 'whatsapp' | 'log'; recipient: string; subject?: string; body: string }) {
    await this.accounts.enqueueNotification({ ...n, subject: n.subject ?? null, createdAt: this.now() });
    this.logger.warn({ channel: n.channel, to: n.recipient, body: n.body }, 'notification (outbox, not sent)');
  }
}

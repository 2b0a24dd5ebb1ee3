// Usernames and phone numbers follow the API's rules: one definition, in @lumbung/schemas.
import { PhoneNumber as Phone, ROLE_NAMES, Username } from '@lumbung/schemas';
import { z } from 'zod';

/**
 * The accounts part of the registry (issue 4): users, their roles per village, sessions, API tokens,
 * one-time sign-in codes, the notification outbox, the audit log and device provisioning codes. Storage
 * only: who may do what, and password hashing, belong to the auth service (cloud/src/auth).
 *
 * One port, the Prisma adapter on SQLite and PostgreSQL (`PrismaAccounts`, reached as
 * `openRegistry(…).accounts`), one contract suite (cloud/test/accounts.contract.ts).
 *
 * - Secrets never enter: `passwordHash` is the auth service's hash (any non-empty string); refresh,
 *   API-token, OTP and provisioning-code hashes are SHA-256 hex (`[0-9a-f]{64}`, optionally `sha256:`
 *   first). Anything else is `RegistryError('invalid')`, which catches a plain token passed by mistake.
 * - Times are epoch milliseconds (UTC), passed in by the caller: this layer has no clock.
 * - Ids are made here (`usr_…`, `mem_…`, `ses_…`, `tok_…`, `otp_…`, `ntf_…`, `aud_…`, `prv_…`).
 * - Invalid input is `RegistryError('invalid')`, a taken unique value `conflict`, an unknown user, village
 *   or device that a write refers to `not_found`. Lookups of unknown ids answer undefined.
 * - "Compare-and-set" methods are single conditional UPDATEs: of two concurrent calls exactly one wins,
 *   on both databases.
 */
export interface Accounts {
  // ── users ──
  /** `username` is stored trimmed and lowercase; `conflict` if the username or phone is taken. */
  createUser(u: NewUser): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /** Case-insensitive (usernames are stored lowercase). */
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  getUserByPhone(phone: string): Promise<UserRecord | undefined>;
  /** By username (byte order). With `villageId`, only users with a membership in that village. */
  listUsers(q?: { villageId?: string }): Promise<UserRecord[]>;
  /**
   * Changes only the fields present (null clears a nullable one); returns the new record. `not_found` for
   * an unknown user, `conflict` for a phone another user has.
   */
  updateUser(id: string, patch: UserPatch): Promise<UserRecord>;
  /**
   * Counts a failed sign-in, atomically (concurrent failures all count): failedLogins + 1, and when that
   * reaches `maxFailures`, lockedUntil = at + lockMs (every further failure extends the lock). Returns the
   * new values; undefined for an unknown user.
   */
  recordLoginFailure(
    userId: string,
    at: number,
    policy: { maxFailures: number; lockMs: number },
  ): Promise<{ failedLogins: number; lockedUntil: number | null } | undefined>;
  /** failedLogins 0, lockedUntil null (after a successful sign-in, or an admin's unlock). */
  resetLoginFailures(userId: string): Promise<void>;

  // ── memberships ──
  /** By role (in `ROLES` order), then village id (platform-wide first). */
  listMemberships(userId: string): Promise<MembershipRecord[]>;
  /**
   * Replaces all of a user's memberships in one transaction; returns them as `listMemberships` does. A
   * membership kept (same role and village) keeps its id and createdAt; new ones get `at`. `invalid` for
   * a duplicate, a platform_admin with a village or another role without one, siteIds on a role other
   * than farmer; `not_found` for an unknown user, village, or a site not in that village.
   */
  setMemberships(userId: string, memberships: readonly MembershipInput[], at: number): Promise<MembershipRecord[]>;
  /** Users with at least one membership in the village, by username, each with its memberships there. */
  usersOfVillage(villageId: string): Promise<{ user: UserRecord; memberships: MembershipRecord[] }[]>;

  // ── sessions ──
  /** lastUsedAt starts at createdAt. `not_found` for an unknown user, `conflict` for a hash in use. */
  createSession(s: NewSession): Promise<SessionRecord>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** The session holding this refresh hash now, whatever its state (revoked, expired: the caller checks). */
  getSessionByRefreshHash(refreshTokenHash: string): Promise<SessionRecord | undefined>;
  /** A user's sessions, newest first. */
  listSessions(userId: string): Promise<SessionRecord[]>;
  /**
   * Compare-and-set: if session `id` still holds `fromHash`, is not revoked and not expired at `at`, it
   * now holds `toHash`, expires at `expiresAt` and was last used `at`; returns the new record. Otherwise
   * (the refresh token was used already, or the session ended) undefined: of two uses of one refresh
   * token, exactly one gets a record.
   */
  rotateSession(
    id: string,
    r: { fromHash: string; toHash: string; expiresAt: number; at: number },
  ): Promise<SessionRecord | undefined>;
  /** True if the session was active and is now revoked (false: unknown or revoked already). */
  revokeSession(id: string, at: number): Promise<boolean>;
  /** Revokes every active session of the user; returns how many. */
  revokeUserSessions(userId: string, at: number): Promise<number>;

  // ── API tokens ──
  /** `not_found` for an unknown user, `conflict` for a hash in use. */
  createApiToken(t: NewApiToken): Promise<ApiTokenRecord>;
  getApiToken(id: string): Promise<ApiTokenRecord | undefined>;
  /** Whatever its state (revoked, expired: the caller checks). */
  getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** Sets lastUsedAt, never backwards. */
  touchApiToken(id: string, at: number): Promise<void>;
  /** Newest first, revoked ones too. */
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  /** True if it was unrevoked and is now revoked. */
  revokeApiToken(id: string, at: number): Promise<boolean>;

  // ── one-time sign-in codes ──
  createOtp(o: NewOtp): Promise<OtpRecord>;
  /** The newest code sent to the phone (used or not), or undefined. */
  latestOtp(phone: string): Promise<OtpRecord | undefined>;
  /** Counts a guess, atomically; returns the new count, undefined for an unknown code. */
  recordOtpAttempt(id: string): Promise<number | undefined>;
  /** Compare-and-set: true for the one call that uses an unused, unexpired (at `at`) code. */
  markOtpUsed(id: string, at: number): Promise<boolean>;
  /** Codes created for the phone at or after `since` (rate limiting). */
  countOtpsSince(phone: string, since: number): Promise<number>;

  // ── notification outbox ──
  enqueueNotification(n: NewNotification): Promise<NotificationRecord>;
  /** Newest first; `pending` only those not sent yet. */
  listNotifications(q: { limit: number; pending?: boolean }): Promise<NotificationRecord[]>;
  /** sentAt = at, error cleared. False for an unknown id. */
  markNotificationSent(id: string, at: number): Promise<boolean>;
  /** Records why sending failed (it stays pending). False for an unknown id. */
  markNotificationFailed(id: string, error: string): Promise<boolean>;

  // ── audit log ──
  appendAudit(e: NewAuditEvent): Promise<AuditEventRecord>;
  /**
   * Newest first (at, then id). `villageId` undefined: every village and the platform-wide events;
   * `actions`: only those; `before`: a time (events strictly earlier) or the last event of the previous
   * page (events after it in this order: no event is skipped or repeated when several share a time).
   */
  listAudit(q: {
    villageId?: string;
    actions?: readonly string[];
    limit: number;
    before?: number | { at: number; id: string };
  }): Promise<AuditEventRecord[]>;

  // ── device provisioning codes ──
  /** `not_found` unless the device is in that village; `conflict` for a hash in use. */
  createProvisioningCode(c: NewProvisioningCode): Promise<ProvisioningCodeRecord>;
  /**
   * Compare-and-set: the code with this hash, if unused and unexpired at `at`, is now used (usedAt = at)
   * and returned; otherwise undefined. Of two concurrent uses, exactly one gets the record.
   */
  consumeProvisioningCode(codeHash: string, at: number): Promise<ProvisioningCodeRecord | undefined>;
  /** Newest first. */
  listProvisioningCodes(villageId: string): Promise<ProvisioningCodeRecord[]>;
}

/** The platform's roles (one list, in @lumbung/schemas). */
export const ROLES = ROLE_NAMES;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const NOTIFICATION_CHANNELS = ['sms', 'whatsapp', 'log'] as const;
export const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

/** The actions the platform records; `appendAudit` takes others of the same shape too. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.locked',
  'auth.logout',
  'user.created',
  'user.role_changed',
  'user.password_reset',
  'device.credential_issued',
  'device.credential_rotated',
  'device.revoked',
  'data.exported',
  'token.created',
  'token.revoked',
  'device.provisioned',
  'lot.recalled',
] as const;

const EpochMs = z.int().nonnegative();
const Id = z.string().min(1).max(200);
/** Lowercase letters, digits, ".", "_", "-"; 2 to 64 characters, starting with a letter or digit. */
/** SHA-256 hex of a high-entropy secret (the auth service's `tokenHash`, or runtime `hashSecret`). */
export const Sha256Hash = z.string().regex(/^(sha256:)?[0-9a-f]{64}$/, 'a SHA-256 hash: 64 hex digits');
const PasswordHash = z.string().min(1).max(1024);
const DisplayName = z.string().trim().min(1).max(200);

export const UserRecord = z.object({
  id: Id,
  username: Username,
  displayName: DisplayName,
  phone: Phone.nullable(),
  /** Never send it to a client. */
  passwordHash: PasswordHash.nullable(),
  createdAt: EpochMs,
  disabledAt: EpochMs.nullable(),
  failedLogins: z.int().nonnegative(),
  lockedUntil: EpochMs.nullable(),
  passwordChangedAt: EpochMs.nullable(),
});
export type UserRecord = z.infer<typeof UserRecord>;

export const NewUser = z.object({
  username: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(Username),
  displayName: DisplayName,
  phone: Phone.nullish(),
  passwordHash: PasswordHash.nullish(),
  createdAt: EpochMs,
  passwordChangedAt: EpochMs.nullish(),
});
export type NewUser = z.input<typeof NewUser>;

export const UserPatch = z.object({
  displayName: DisplayName.optional(),
  phone: Phone.nullable().optional(),
  passwordHash: PasswordHash.nullable().optional(),
  passwordChangedAt: EpochMs.nullable().optional(),
  disabledAt: EpochMs.nullable().optional(),
});
export type UserPatch = z.input<typeof UserPatch>;

export const MembershipInput = z
  .object({
    role: Role,
    villageId: Id.nullable(),
    /** A farmer's plots (site ids in the village); empty for every other role. */
    siteIds: z.array(Id).default([]),
  })
  .superRefine((m, ctx) => {
    if ((m.role === 'platform_admin') !== (m.villageId === null))
      ctx.addIssue({
        code: 'custom',
        message: m.role === 'platform_admin' ? 'a platform_admin has no village' : `a ${m.role} belongs to a village`,
      });
    if (m.role !== 'farmer' && m.siteIds.length > 0)
      ctx.addIssue({ code: 'custom', message: `only a farmer has plots (siteIds), not a ${m.role}` });
    if (new Set(m.siteIds).size !== m.siteIds.length) ctx.addIssue({ code: 'custom', message: 'siteIds repeat' });
  });
export type MembershipInput = z.input<typeof MembershipInput>;

export const MembershipRecord = z.object({
  id: Id,
  userId: Id,
  role: Role,
  villageId: Id.nullable(),
  siteIds: z.array(Id),
  createdAt: EpochMs,
});
export type MembershipRecord = z.infer<typeof MembershipRecord>;

const Ip = z.string().max(64);
const UserAgent = z.string().max(512);

export const SessionRecord = z.object({
  id: Id,
  userId: Id,
  refreshTokenHash: Sha256Hash,
  createdAt: EpochMs,
  expiresAt: EpochMs,
  revokedAt: EpochMs.nullable(),
  lastUsedAt: EpochMs,
  ip: Ip.nullable(),
  userAgent: UserAgent.nullable(),
});
export type SessionRecord = z.infer<typeof SessionRecord>;

export const NewSession = SessionRecord.pick({
  userId: true,
  refreshTokenHash: true,
  createdAt: true,
  expiresAt: true,
}).extend({
  ip: Ip.nullish(),
  /** Cut to 512 characters. */
  userAgent: z
    .string()
    .transform((s) => s.slice(0, 512))
    .nullish(),
});
export type NewSession = z.input<typeof NewSession>;

export const ApiTokenRecord = z.object({
  id: Id,
  userId: Id,
  name: z.string().min(1).max(200),
  tokenHash: Sha256Hash,
  createdAt: EpochMs,
  expiresAt: EpochMs.nullable(),
  lastUsedAt: EpochMs.nullable(),
  revokedAt: EpochMs.nullable(),
});
export type ApiTokenRecord = z.infer<typeof ApiTokenRecord>;

export const NewApiToken = z.object({
  userId: Id,
  name: z.string().trim().min(1).max(200),
  tokenHash: Sha256Hash,
  createdAt: EpochMs,
  expiresAt: EpochMs.nullish(),
});
export type NewApiToken = z.input<typeof NewApiToken>;

export const OtpRecord = z.object({
  id: Id,
  phone: Phone,
  codeHash: Sha256Hash,
  createdAt: EpochMs,
  expiresAt: EpochMs,
  attempts: z.int().nonnegative(),
  usedAt: EpochMs.nullable(),
});
export type OtpRecord = z.infer<typeof OtpRecord>;

export const NewOtp = OtpRecord.pick({ phone: true, codeHash: true, createdAt: true, expiresAt: true });
export type NewOtp = z.input<typeof NewOtp>;

const Subject = z.string().max(200);

export const NotificationRecord = z.object({
  id: Id,
  channel: NotificationChannel,
  /** A phone number for sms and whatsapp; anything for log. */
  recipient: z.string().min(1).max(200),
  subject: Subject.nullable(),
  body: z.string().max(10_000),
  createdAt: EpochMs,
  sentAt: EpochMs.nullable(),
  error: z.string().nullable(),
});
export type NotificationRecord = z.infer<typeof NotificationRecord>;

export const NewNotification = NotificationRecord.pick({
  channel: true,
  recipient: true,
  body: true,
  createdAt: true,
}).extend({
  subject: Subject.nullish(),
});
export type NewNotification = z.input<typeof NewNotification>;

const JsonObject = z.record(z.string(), z.json());

export const AuditEventRecord = z.object({
  id: Id,
  at: EpochMs,
  actorUserId: Id.nullable(),
  /** A username, `device:<id>` or `system`. */
  actorLabel: z.string().min(1).max(200),
  /** `domain.verb`, e.g. `auth.login` (`AUDIT_ACTIONS`). */
  action: z.string().regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, 'an action like auth.login'),
  villageId: Id.nullable(),
  targetType: z.string().max(64).nullable(),
  targetId: z.string().max(200).nullable(),
  ip: Ip.nullable(),
  success: z.boolean(),
  details: JsonObject.nullable(),
});
export type AuditEventRecord = z.infer<typeof AuditEventRecord>;

export const NewAuditEvent = AuditEventRecord.omit({ id: true }).extend({
  actorUserId: Id.nullish(),
  villageId: Id.nullish(),
  targetType: z.string().max(64).nullish(),
  targetId: z.string().max(200).nullish(),
  ip: Ip.nullish(),
  details: JsonObject.nullish(),
});
export type NewAuditEvent = z.input<typeof NewAuditEvent>;

export const ProvisioningCodeRecord = z.object({
  id: Id,
  villageId: Id,
  deviceId: Id,
  codeHash: Sha256Hash,
  createdAt: EpochMs,
  expiresAt: EpochMs,
  usedAt: EpochMs.nullable(),
  /** The user id of the village admin who made it. */
  createdBy: Id,
});
export type ProvisioningCodeRecord = z.infer<typeof ProvisioningCodeRecord>;

export const NewProvisioningCode = ProvisioningCodeRecord.omit({ id: true, usedAt: true });
export type NewProvisioningCode = z.input<typeof NewProvisioningCode>;

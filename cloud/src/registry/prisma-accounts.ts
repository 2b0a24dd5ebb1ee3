import { randomBytes } from 'node:crypto';
import { PhoneNumber } from '@lumbung/schemas';
import type {
  ApiToken as ApiTokenRow,
  AuditEvent as AuditEventRow,
  Membership as MembershipRow,
  Notification as NotificationRow,
  OtpCode as OtpRow,
  PrismaClient,
  ProvisioningCode as ProvisioningCodeRow,
  Session as SessionRow,
  User as UserRow,
} from '../../generated/prisma/sqlite/client.ts';
import {
  type Accounts,
  type ApiTokenRecord,
  type AuditEventRecord,
  MembershipInput,
  type MembershipRecord,
  NewApiToken,
  NewAuditEvent,
  NewNotification,
  NewOtp,
  NewProvisioningCode,
  NewSession,
  NewUser,
  type NotificationRecord,
  type OtpRecord,
  type ProvisioningCodeRecord,
  ROLES,
  type Role,
  type SessionRecord,
  Sha256Hash,
  UserPatch,
  type UserRecord,
} from './accounts.ts';
import { RegistryError } from './port.ts';
import { compare, nullableNum, translate as translateError, valid } from './prisma-common.ts';

/**
 * The accounts port on Prisma, sharing the registry's client (`PrismaRegistry.accounts`). Everything that
 * must be atomic is one statement: a conditional UPDATE (compare-and-set) or UPDATE … RETURNING (SQLite
 * 3.35+ and PostgreSQL). The one transaction (setMemberships) is a batch whose inputs are checked first,
 * because on SQLite the adapter runs the whole client on one connection: another query issued while a
 * transaction is open runs inside it, and would be rolled back with it.
 */
export class PrismaAccounts implements Accounts {
  constructor(private readonly client: () => PrismaClient) {}

  // ── users ──

  async createUser(u: Parameters<Accounts['createUser']>[0]): Promise<UserRecord> {
    const input = valid(NewUser, u, 'user');
    const row = await this.client()
      .user.create({
        data: {
          id: newId('usr'),
          username: input.username,
          displayName: input.displayName,
          phone: input.phone ?? null,
          passwordHash: input.passwordHash ?? null,
          createdAt: BigInt(input.createdAt),
          passwordChangedAt: input.passwordChangedAt == null ? null : BigInt(input.passwordChangedAt),
        },
      })
      .catch(translate(`user ${input.username}`, usernameOrPhone(input.username, input.phone)));
    return userRecord(row);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = await this.client().user.findUnique({ where: { id } });
    return row ? userRecord(row) : undefined;
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.client().user.findUnique({ where: { username: username.trim().toLowerCase() } });
    return row ? userRecord(row) : undefined;
  }

  async getUserByPhone(phone: string): Promise<UserRecord | undefined> {
    if (!PhoneNumber.safeParse(phone).success) return undefined;
    const row = await this.client().user.findUnique({ where: { phone } });
    return row ? userRecord(row) : undefined;
  }

  async listUsers(q: { villageId?: string } = {}): Promise<UserRecord[]> {
    const rows = await this.client().user.findMany({
      where: q.villageId === undefined ? {} : { memberships: { some: { villageId: q.villageId } } },
    });
    return rows.map(userRecord).sort((a, b) => compare(a.username, b.username));
  }

  async updateUser(id: string, patch: Parameters<Accounts['updateUser']>[1]): Promise<UserRecord> {
    const p = valid(UserPatch, patch, `change of user ${id}`);
    const data = {
      ...(p.displayName !== undefined ? { displayName: p.displayName } : {}),
      ...(p.phone !== undefined ? { phone: p.phone } : {}),
      ...(p.passwordHash !== undefined ? { passwordHash: p.passwordHash } : {}),
      ...(p.passwordChangedAt !== undefined ? { passwordChangedAt: nullableBig(p.passwordChangedAt) } : {}),
      ...(p.disabledAt !== undefined ? { disabledAt: nullableBig(p.disabledAt) } : {}),
    };
    const row = await this.client()
      .user.update({ where: { id }, data })
      .catch(translate(`user ${id}`, `phone ${p.phone} belongs to another user`));
    return userRecord(row);
  }

  async recordLoginFailure(
    userId: string,
    at: number,
    policy: { maxFailures: number; lockMs: number },
  ): Promise<{ failedLogins: number; lockedUntil: number | null } | undefined> {
    const when = epochMs(at, `login failure of ${userId}`);
    if (!Number.isSafeInteger(policy.maxFailures) || policy.maxFailures < 1)
      throw new RegistryError('invalid', 'maxFailures must be a whole number of at least 1');
    const until = when + epochMs(policy.lockMs, 'lockMs');
    // One statement: SET reads the old failed_logins, so two concurrent failures give +2, never +1.
    const rows = await this.client().$queryRaw<
      { failed_logins: number | bigint; locked_until: number | bigint | null }[]
    >`
      UPDATE users SET failed_logins = failed_logins + 1,
        locked_until = CASE WHEN failed_logins + 1 >= ${policy.maxFailures} THEN CAST(${until} AS BIGINT) ELSE locked_until END
      WHERE id = ${userId}
      RETURNING failed_logins, locked_until`;
    const row = rows[0];
    if (!row) return undefined;
    return {
      failedLogins: Number(row.failed_logins),
      lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
    };
  }

  async resetLoginFailures(userId: string): Promise<void> {
    await this.client().user.updateMany({ where: { id: userId }, data: { failedLogins: 0, lockedUntil: null } });
  }

  // ── memberships ──

  async listMemberships(userId: string): Promise<MembershipRecord[]> {
    return sortMemberships((await this.client().membership.findMany({ where: { userId } })).map(membershipRecord));
  }

  async setMemberships(
    userId: string,
    memberships: Parameters<Accounts['setMemberships']>[1],
    at: number,
  ): Promise<MembershipRecord[]> {
    const when = epochMs(at, `memberships of ${userId}`);
    const wanted = memberships.map((m, i) => valid(MembershipInput, m, `membership ${i + 1} of user ${userId}`));
    const key = (m: { role: string; villageId: string | null }) => `${m.role}\u0000${m.villageId ?? ''}`;
    if (new Set(wanted.map(key)).size !== wanted.length)
      throw new RegistryError('invalid', `memberships of user ${userId}: the same role twice in one village`);
    const db = this.client();
    // Checked before the transaction, so that it does not fail half-way (see the class comment).
    if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } })))
      throw new RegistryError('not_found', `no user ${userId}`);
    const villageIds = [...new Set(wanted.flatMap((m) => (m.villageId === null ? [] : [m.villageId])))];
    const villages = await db.village.findMany({ where: { id: { in: villageIds } }, select: { id: true } });
    const missingVillage = villageIds.find((v) => !villages.some((row) => row.id === v));
    if (missingVillage) throw new RegistryError('not_found', `no village ${missingVillage}`);
    // Every farmer's plots in one query, not one per membership.
    const plots = wanted.flatMap((m) =>
      m.villageId === null || m.siteIds.length === 0 ? [] : [{ villageId: m.villageId, id: { in: m.siteIds } }],
    );
    if (plots.length > 0) {
      const found = await db.site.findMany({ where: { OR: plots }, select: { villageId: true, id: true } });
      const have = new Set(found.map((row) => `${row.villageId}\u0000${row.id}`));
      for (const m of wanted)
        for (const s of m.siteIds)
          if (!have.has(`${m.villageId}\u0000${s}`))
            throw new RegistryError('not_found', `no site ${s} in village ${m.villageId}`);
    }
    const before = new Map((await db.membership.findMany({ where: { userId } })).map((r) => [key(r), r]));
    const data = wanted.map((m) => {
      const kept = before.get(key(m));
      return {
        id: kept?.id ?? newId('mem'),
        userId,
        role: m.role,
        villageId: m.villageId,
        siteIds: m.siteIds,
        createdAt: kept?.createdAt ?? when,
      };
    });
    // Delete and insert in one transaction: a reader sees the old set or the new one. Two replacements
    // of one user's set at once may collide on the unique key: the loser gets `conflict`.
    await db
      .$transaction([db.membership.deleteMany({ where: { userId } }), db.membership.createMany({ data })])
      .catch(translate(`memberships of user ${userId}`, `memberships of user ${userId} were changed meanwhile`));
    return this.listMemberships(userId);
  }

  async usersOfVillage(villageId: string): Promise<{ user: UserRecord; memberships: MembershipRecord[] }[]> {
    const rows = await this.client().user.findMany({
      where: { memberships: { some: { villageId } } },
      include: { memberships: { where: { villageId } } },
    });
    return rows
      .map(({ memberships, ...user }) => ({
        user: userRecord(user),
        memberships: sortMemberships(memberships.map(membershipRecord)),
      }))
      .sort((a, b) => compare(a.user.username, b.user.username));
  }

  // ── sessions ──

  async createSession(s: Parameters<Accounts['createSession']>[0]): Promise<SessionRecord> {
    const input = valid(NewSession, s, 'session');
    const row = await this.client()
      .session.create({
        data: {
          id: newId('ses'),
          userId: input.userId,
          refreshTokenHash: input.refreshTokenHash,
          createdAt: BigInt(input.createdAt),
          expiresAt: BigInt(input.expiresAt),
          lastUsedAt: BigInt(input.createdAt),
          ip: input.ip ?? null,
          userAgent: input.userAgent ?? null,
        },
      })
      .catch(
        translate(`session of user ${input.userId}`, 'that refresh token hash is in use', `no user ${input.userId}`),
      );
    return sessionRecord(row);
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const row = await this.client().session.findUnique({ where: { id } });
    return row ? sessionRecord(row) : undefined;
  }

  async getSessionByRefreshHash(refreshTokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.client().session.findUnique({ where: { refreshTokenHash } });
    return row ? sessionRecord(row) : undefined;
  }

  async listSessions(userId: string): Promise<SessionRecord[]> {
    const rows = await this.client().session.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(sessionRecord);
  }

  async rotateSession(
    id: string,
    r: { fromHash: string; toHash: string; expiresAt: number; at: number },
  ): Promise<SessionRecord | undefined> {
    const toHash = valid(Sha256Hash, r.toHash, `new refresh token hash of session ${id}`);
    const at = epochMs(r.at, `rotation of session ${id}`);
    const expiresAt = epochMs(r.expiresAt, `rotation of session ${id}`);
    const db = this.client();
    const { count } = await db.session
      .updateMany({
        where: { id, refreshTokenHash: r.fromHash, revokedAt: null, expiresAt: { gt: at } },
        data: { refreshTokenHash: toHash, expiresAt, lastUsedAt: at },
      })
      .catch(translate(`session ${id}`, 'that refresh token hash is in use'));
    if (count === 0) return undefined;
    const row = await db.session.findUnique({ where: { id } });
    return row ? sessionRecord(row) : undefined;
  }

  async revokeSession(id: string, at: number): Promise<boolean> {
    const when = epochMs(at, `revocation of session ${id}`);
    const { count } = await this.client().session.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: when },
    });
    return count === 1;
  }

  async revokeUserSessions(userId: string, at: number): Promise<number> {
    const when = epochMs(at, `revocation of the sessions of ${userId}`);
    const { count } = await this.client().session.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: when },
    });
    return count;
  }

  // ── API tokens ──

  async createApiToken(t: Parameters<Accounts['createApiToken']>[0]): Promise<ApiTokenRecord> {
    const input = valid(NewApiToken, t, 'API token');
    const row = await this.client()
      .apiToken.create({
        data: {
          id: newId('tok'),
          userId: input.userId,
          name: input.name,
          tokenHash: input.tokenHash,
          createdAt: BigInt(input.createdAt),
          expiresAt: input.expiresAt == null ? null : BigInt(input.expiresAt),
        },
      })
      .catch(translate(`API token of user ${input.userId}`, 'that token hash is in use', `no user ${input.userId}`));
    return apiTokenRecord(row);
  }

  async getApiToken(id: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.client().apiToken.findUnique({ where: { id } });
    return row ? apiTokenRecord(row) : undefined;
  }

  async getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.client().apiToken.findUnique({ where: { tokenHash } });
    return row ? apiTokenRecord(row) : undefined;
  }

  async touchApiToken(id: string, at: number): Promise<void> {
    const when = epochMs(at, `use of API token ${id}`);
    await this.client().apiToken.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: when } }] },
      data: { lastUsedAt: when },
    });
  }

  async listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.client().apiToken.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(apiTokenRecord);
  }

  async revokeApiToken(id: string, at: number): Promise<boolean> {
    const when = epochMs(at, `revocation of API token ${id}`);
    const { count } = await this.client().apiToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: when },
    });
    return count === 1;
  }

  // ── one-time sign-in codes ──

  async createOtp(o: Parameters<Accounts['createOtp']>[0]): Promise<OtpRecord> {
    const input = valid(NewOtp, o, 'one-time code');
    const row = await this.client().otpCode.create({
      data: {
        id: newId('otp'),
        phone: input.phone,
        codeHash: input.codeHash,
        createdAt: BigInt(input.createdAt),
        expiresAt: BigInt(input.expiresAt),
      },
    });
    return otpRecord(row);
  }

  async latestOtp(phone: string): Promise<OtpRecord | undefined> {
    const row = await this.client().otpCode.findFirst({
      where: { phone },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return row ? otpRecord(row) : undefined;
  }

  async recordOtpAttempt(id: string): Promise<number | undefined> {
    const rows = await this.client().$queryRaw<{ attempts: number | bigint }[]>`
      UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ${id} RETURNING attempts`;
    return rows[0] ? Number(rows[0].attempts) : undefined;
  }

  async markOtpUsed(id: string, at: number): Promise<boolean> {
    const when = epochMs(at, `use of one-time code ${id}`);
    const { count } = await this.client().otpCode.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: when } },
      data: { usedAt: when },
    });
    return count === 1;
  }

  async countOtpsSince(phone: string, since: number): Promise<number> {
    return this.client().otpCode.count({ where: { phone, createdAt: { gte: epochMs(since, 'since') } } });
  }

  // ── notification outbox ──

  async enqueueNotification(n: Parameters<Accounts['enqueueNotification']>[0]): Promise<NotificationRecord> {
    const input = valid(NewNotification, n, 'notification');
    const row = await this.client().notification.create({
      data: {
        id: newId('ntf'),
        channel: input.channel,
        recipient: input.recipient,
        subject: input.subject ?? null,
        body: input.body,
        createdAt: BigInt(input.createdAt),
      },
    });
    return notificationRecord(row);
  }

  async listNotifications(q: { limit: number; pending?: boolean }): Promise<NotificationRecord[]> {
    const rows = await this.client().notification.findMany({
      where: q.pending ? { sentAt: null } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit(q.limit),
    });
    return rows.map(notificationRecord);
  }

  async markNotificationSent(id: string, at: number): Promise<boolean> {
    const when = epochMs(at, `notification ${id}`);
    const { count } = await this.client().notification.updateMany({
      where: { id },
      data: { sentAt: when, error: null },
    });
    return count === 1;
  }

  async markNotificationFailed(id: string, error: string): Promise<boolean> {
    const { count } = await this.client().notification.updateMany({
      where: { id },
      data: { error: error.slice(0, 2000) },
    });
    return count === 1;
  }

  // ── audit log ──

  async appendAudit(e: Parameters<Accounts['appendAudit']>[0]): Promise<AuditEventRecord> {
    const input = valid(NewAuditEvent, e, 'audit event');
    const row = await this.client().auditEvent.create({
      data: {
        id: auditId(input.at),
        at: BigInt(input.at),
        actorUserId: input.actorUserId ?? null,
        actorLabel: input.actorLabel,
        action: input.action,
        villageId: input.villageId ?? null,
        targetType: input.targetType ?? null,
        targetId: input.targetId ?? null,
        ip: input.ip ?? null,
        success: input.success,
        // Omitted rather than null: Prisma writes a JSON null for null, and SQL NULL for nothing.
        ...(input.details != null ? { details: input.details } : {}),
      },
    });
    return auditRecord(row);
  }

  async listAudit(q: {
    villageId?: string;
    actions?: readonly string[];
    limit: number;
    before?: number | { at: number; id: string };
  }): Promise<AuditEventRecord[]> {
    const before =
      q.before === undefined
        ? {}
        : typeof q.before === 'number'
          ? { at: { lt: epochMs(q.before, 'before') } }
          : {
              OR: [
                { at: { lt: epochMs(q.before.at, 'before') } },
                { at: epochMs(q.before.at, 'before'), id: { lt: q.before.id } },
              ],
            };
    const rows = await this.client().auditEvent.findMany({
      where: {
        ...(q.villageId !== undefined ? { villageId: q.villageId } : {}),
        ...(q.actions !== undefined ? { action: { in: [...q.actions] } } : {}),
        ...before,
      },
      // Ids are lowercase hex after "aud_", so the database's collation orders them as bytes.
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit(q.limit),
    });
    return rows.map(auditRecord);
  }

  // ── device provisioning codes ──

  async createProvisioningCode(c: Parameters<Accounts['createProvisioningCode']>[0]): Promise<ProvisioningCodeRecord> {
    const input = valid(NewProvisioningCode, c, 'provisioning code');
    const db = this.client();
    const device = await db.device.findUnique({ where: { id: input.deviceId }, select: { villageId: true } });
    if (!device || device.villageId !== input.villageId)
      throw new RegistryError('not_found', `no device ${input.deviceId} in village ${input.villageId}`);
    const row = await db.provisioningCode
      .create({
        data: {
          id: newId('prv'),
          villageId: input.villageId,
          deviceId: input.deviceId,
          codeHash: input.codeHash,
          createdAt: BigInt(input.createdAt),
          expiresAt: BigInt(input.expiresAt),
          createdBy: input.createdBy,
        },
      })
      .catch(translate(`provisioning code of device ${input.deviceId}`, 'that code hash is in use'));
    return provisioningRecord(row);
  }

  async consumeProvisioningCode(codeHash: string, at: number): Promise<ProvisioningCodeRecord | undefined> {
    const when = epochMs(at, 'use of a provisioning code');
    const db = this.client();
    const { count } = await db.provisioningCode.updateMany({
      where: { codeHash, usedAt: null, expiresAt: { gt: when } },
      data: { usedAt: when },
    });
    if (count === 0) return undefined;
    const row = await db.provisioningCode.findUnique({ where: { codeHash } });
    return row ? provisioningRecord(row) : undefined;
  }

  async listProvisioningCodes(villageId: string): Promise<ProvisioningCodeRecord[]> {
    const rows = await this.client().provisioningCode.findMany({
      where: { villageId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(provisioningRecord);
  }
}

/** A prefix and 96 random bits in lowercase hex. */
const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Time first, so ids sort with their events; random bits after, so two events in one millisecond differ. */
const auditId = (at: number): string => `aud_${at.toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;

const num = (v: bigint): number => Number(v);
const nullableBig = (v: number | null): bigint | null => (v === null ? null : BigInt(v));

const userRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.displayName,
  phone: r.phone,
  passwordHash: r.passwordHash,
  createdAt: num(r.createdAt),
  disabledAt: nullableNum(r.disabledAt),
  failedLogins: r.failedLogins,
  lockedUntil: nullableNum(r.lockedUntil),
  passwordChangedAt: nullableNum(r.passwordChangedAt),
});

const membershipRecord = (r: MembershipRow): MembershipRecord => ({
  id: r.id,
  userId: r.userId,
  role: r.role as Role,
  villageId: r.villageId,
  siteIds: Array.isArray(r.siteIds) ? (r.siteIds as string[]) : [],
  createdAt: num(r.createdAt),
});

const sortMemberships = (ms: MembershipRecord[]): MembershipRecord[] =>
  ms.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || compare(a.villageId ?? '', b.villageId ?? ''));

const sessionRecord = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.userId,
  refreshTokenHash: r.refreshTokenHash,
  createdAt: num(r.createdAt),
  expiresAt: num(r.expiresAt),
  revokedAt: nullableNum(r.revokedAt),
  lastUsedAt: num(r.lastUsedAt),
  ip: r.ip,
  userAgent: r.userAgent,
});

const apiTokenRecord = (r: ApiTokenRow): ApiTokenRecord => ({
  id: r.id,
  userId: r.userId,
  name: r.name,
  tokenHash: r.tokenHash,
  createdAt: num(r.createdAt),
  expiresAt: nullableNum(r.expiresAt),
  lastUsedAt: nullableNum(r.lastUsedAt),
  revokedAt: nullableNum(r.revokedAt),
});

const otpRecord = (r: OtpRow): OtpRecord => ({
  id: r.id,
  phone: r.phone,
  codeHash: r.codeHash,
  createdAt: num(r.createdAt),
  expiresAt: num(r.expiresAt),
  attempts: r.attempts,
  usedAt: nullableNum(r.usedAt),
});

const notificationRecord = (r: NotificationRow): NotificationRecord => ({
  id: r.id,
  channel: r.channel as NotificationRecord['channel'],
  recipient: r.recipient,
  subject: r.subject,
  body: r.body,
  createdAt: num(r.createdAt),
  sentAt: nullableNum(r.sentAt),
  error: r.error,
});

const auditRecord = (r: AuditEventRow): AuditEventRecord => ({
  id: r.id,
  at: num(r.at),
  actorUserId: r.actorUserId,
  actorLabel: r.actorLabel,
  action: r.action,
  villageId: r.villageId,
  targetType: r.targetType,
  targetId: r.targetId,
  ip: r.ip,
  success: r.success,
  details: r.details !== null && typeof r.details === 'object' ? (r.details as AuditEventRecord['details']) : null,
});

const provisioningRecord = (r: ProvisioningCodeRow): ProvisioningCodeRecord => ({
  id: r.id,
  villageId: r.villageId,
  deviceId: r.deviceId,
  codeHash: r.codeHash,
  createdAt: num(r.createdAt),
  expiresAt: num(r.expiresAt),
  usedAt: nullableNum(r.usedAt),
  createdBy: r.createdBy,
});

function epochMs(ms: number, what: string): bigint {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RegistryError('invalid', `${what}: time must be whole epoch milliseconds`);
  return BigInt(ms);
}

function limit(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RegistryError('invalid', 'limit must be a whole number of at least 1');
  return n;
}

const usernameOrPhone = (username: string, phone: string | null | undefined): string =>
  phone ? `username ${username} or phone ${phone} is taken` : `username ${username} is taken`;

const translate = (what: string, conflict: string, missing = `${what} refers to something that does not exist`) =>
  translateError(what, conflict, missing);

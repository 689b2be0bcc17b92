// Console sessions: issued after every sign-in factor passed, alive while used (idle expiry) and never
// past an absolute limit, revocable one by one or all at once. A revocation is published as
// `session.revoked`, so console sockets of those sessions close in every process.
import { type AuditActor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { randomToken, sha256 } from './secrets.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const sessionPolicyOf = (config: AppContext['config']): SessionPolicy => ({
  idleMs: config.sessionIdleMinutes * 60_000,
  absoluteMs: config.sessionMaxDays * 86_400_000,
});

/** Last-seen is written at most this often per session: no write on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

export function sessionAlive(
  session: { expiresAt: string; lastSeenAt: string },
  now: Date,
  policy: SessionPolicy,
): boolean {
  if (session.expiresAt <= now.toISOString()) return false;
  return Date.parse(session.lastSeenAt) + policy.idleMs > now.getTime();
}

/**
 * Deletes sessions past either expiry: they can no longer be used, and each holds its device's (sealed)
 * IP address, which is not kept longer than it serves. Runs with the worker's hourly housekeeping.
 */
export function purgeEndedSessions(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>): Promise<number> {
  const now = ctx.clock.now();
  const policy = sessionPolicyOf(ctx.config);
  return ctx.db.directory.deleteExpiredSessions(
    now.toISOString(),
    new Date(now.getTime() - policy.idleMs).toISOString(),
  );
}

export interface IssuedSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function issueSession(
  ctx: Pick<AppContext, 'db' | 'clock' | 'newId' | 'config'>,
  user: { id: string; workspaceId: string },
  client: { ip: string; userAgent: string },
  /** Extra audit details of the sign-in (e.g. `method: 'recovery_code'`). */
  details: Record<string, string> = {},
): Promise<IssuedSession> {
  const now = ctx.clock.now();
  const policy = sessionPolicyOf(ctx.config);
  const session = {
    id: ctx.newId(),
    token: randomToken(32),
    csrfToken: randomToken(24),
    expiresAt: new Date(now.getTime() + policy.absoluteMs),
  };
  await ctx.db.directory.createSession({
    id: session.id,
    tokenHash: sha256(session.token),
    userId: user.id,
    workspaceId: user.workspaceId,
    csrfToken: session.csrfToken,
    createdAt: now.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    client: { ip: client.ip, userAgent: client.userAgent.slice(0, 300) },
  });
  await recordAudit(ctx, {
    workspaceId: user.workspaceId,
    actor: { type: 'user', id: user.id },
    action: 'auth.signed_in',
    target: { type: 'session', id: session.id },
    details,
  });
  return session;
}

/**
 * Revokes sessions of one user and tells every process to close their sockets. `reason` lands in the
 * audit entry (`revoked`, `others_revoked`, `password_changed`, `signed_out`).
 */
export async function revokeSessions(
  ctx: Pick<AppContext, 'db' | 'clock' | 'bus' | 'log'>,
  target: { workspaceId: string; userId: string },
  which: { only: string } | { except: string | null },
  audit: { actor: AuditActor; reason: string },
): Promise<string[]> {
  const ids = await ctx.db.directory.revokeSessions(target.workspaceId, target.userId, which);
  if (ids.length === 0) return ids;
  const occurredAt = ctx.clock.now().toISOString();
  await recordAudit(ctx, {
    workspaceId: target.workspaceId,
    actor: audit.actor,
    action: audit.reason === 'signed_out' ? 'auth.signed_out' : 'session.revoked',
    target: { type: 'user', id: target.userId },
    details: { reason: audit.reason, sessions: ids.length },
  });
  await ctx.bus
    .publish([
      {
        name: 'session.revoked',
        workspaceId: target.workspaceId,
        occurredAt,
        userId: target.userId,
        sessionIds: ids,
      },
    ])
    .catch((err: unknown) => ctx.log.error({ err }, 'session.revoked publish failed'));
  return ids;
}

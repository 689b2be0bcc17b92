// Sign-in (password, then a TOTP or recovery code when two-factor is on), sign-out, who am I, and the
// signed-in user's own security: two-factor enrolment, sessions, password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ChangePasswordBody,
  DisableTwoFactorBody,
  IdParams,
  LoginBody,
  RecoveryCodes,
  RevokedSessions,
  SESSION_COOKIE,
  SessionInfo,
  SessionSummaryList,
  TwoFactorChallenge,
  TwoFactorCodeBody,
  TwoFactorEnrolment,
  TwoFactorLoginBody,
  TwoFactorStatus,
} from '@zhike/contracts';
import { rolePermissions, type User } from '@zhike/core';
import {
  base32Decode,
  createLoginThrottle,
  createMemoryCounterStore,
  otpauthUri,
  verifyTotp,
} from '@zhike/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import { createRedisCounterStore } from '../auth/redisCounterStore.ts';
import { hashPassword, randomToken, verifyPassword } from '../auth/secrets.ts';
import { type IssuedSession, issueSession, revokeSessions } from '../auth/sessions.ts';
import {
  checkSecondFactor,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  signPendingSignIn,
  twoFactorRoles,
  verifyPendingSignIn,
} from '../auth/twoFactor.ts';
import type { AppContext } from '../context.ts';
import { sessionInfoDto, sessionSummaryDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const TOTP_ISSUER = '智客 Zhike';

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const now = () => ctx.clock.now().getTime();
    // Shared through Redis when processes share it; otherwise this process's memory.
    // ioredis is imported only where Redis is configured (~0.15 s a process otherwise spends for nothing).
    const redis = ctx.config.redisUrl
      ? new (await import('ioredis')).Redis(ctx.config.redisUrl, {
          maxRetriesPerRequest: 3,
          lazyConnect: false,
        })
      : null;
    redis?.on('error', (err) => ctx.log.warn({ err }, 'sign-in lockout store: redis error'));
    app.addHook('onClose', async () => {
      await redis?.quit().catch(() => redis.disconnect());
    });
    // Failed passwords and failed codes count alike: a stolen password alone cannot grind the code.
    const lockout = createLoginThrottle({
      store: redis ? createRedisCounterStore(redis) : createMemoryCounterStore(now),
      now,
    });
    const secure = ctx.config.publicUrl.startsWith('https://');
    // Verifying against a real hash for unknown emails keeps response times from revealing accounts.
    const dummyHash = hashPassword(randomToken());

    const refuseIfLocked = async (
      email: string,
      ip: string,
      userId: string | null,
      workspaceId: string | null,
    ) => {
      const decision = await lockout.check({ email, ip });
      if (decision.allowed) return;
      await recordAudit(ctx, {
        workspaceId,
        actor: userId ? { type: 'user', id: userId } : { type: 'visitor', id: 'unknown' },
        action: 'auth.sign_in_failed',
        details: { reason: decision.reason },
      });
      throw HttpProblem.retryLater(
        'rate_limited',
        `Too many failed sign-ins; try again in ${Math.ceil(decision.retryAfterMs / 60_000)} min`,
        decision.retryAfterMs,
      );
    };

    const countFailure = async (
      email: string,
      ip: string,
      account: { id: string; workspaceId: string } | null,
      reason: string,
    ) => {
      const { lockedForMs } = await lockout.recordFailure({ email, ip });
      // No email in the log: a known account is named by id, an unknown one not at all.
      await recordAudit(ctx, {
        workspaceId: account?.workspaceId ?? null,
        actor: account ? { type: 'user', id: account.id } : { type: 'visitor', id: 'unknown' },
        action: 'auth.sign_in_failed',
        details: { reason },
      });
      if (lockedForMs !== null && account)
        await recordAudit(ctx, {
          workspaceId: account.workspaceId,
          actor: { type: 'system', id: 'lockout' },
          action: 'auth.locked_out',
          target: { type: 'user', id: account.id },
          details: { minutes: Math.round(lockedForMs / 60_000) },
        });
    };

    const clientOf = (request: FastifyRequest) => ({
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] ?? ''),
    });

    const signIn = async (reply: FastifyReply, user: User, session: IssuedSession) => {
      const workspace = await ctx.db.directory.workspaceById(user.workspaceId);
      if (!workspace) throw new HttpProblem('invalid_credentials');
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        expires: session.expiresAt,
      });
      return sessionInfoDto(user, workspace, session.csrfToken, rolePermissions[user.role]);
    };

    app.post(
      '/api/v1/auth/login',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in (202 with a pending token when a second factor is needed)',
          body: LoginBody,
          response: { 200: SessionInfo, 202: TwoFactorChallenge, ...problems },
        },
      },
      async (request, reply) => {
        const email = request.body.email.trim().toLowerCase();
        const account = await ctx.db.directory.userForLogin(email);
        await refuseIfLocked(email, request.ip, account?.id ?? null, account?.workspaceId ?? null);
        const ok = await verifyPassword(account?.passwordHash ?? (await dummyHash), request.body.password);
        if (!account || !ok) {
          await countFailure(email, request.ip, account, account ? 'wrong_password' : 'unknown_account');
          throw new HttpProblem('invalid_credentials');
        }
        if (account.twoFactor) {
          // The failure counter stays: only a full sign-in (password and code) clears it.
          const pending = signPendingSignIn(ctx.config.secret, account.id, ctx.clock.now());
          return reply.code(202).send({
            twoFactorRequired: true,
            pendingToken: pending.token,
            expiresAt: pending.expiresAt.toISOString(),
          });
        }
        await lockout.recordSuccess({ email, ip: request.ip });
        return signIn(reply, account, await issueSession(ctx, account, clientOf(request)));
      },
    );

    app.post(
      '/api/v1/auth/login/two-factor',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Finish a sign-in with a TOTP or recovery code',
          body: TwoFactorLoginBody,
          response: { 200: SessionInfo, ...problems },
        },
      },
      async (request, reply) => {
        const userId = verifyPendingSignIn(ctx.config.secret, request.body.pendingToken, ctx.clock.now());
        if (!userId)
          throw new HttpProblem('unauthenticated', 'The sign-in expired; enter your password again');
        const user = await ctx.db.directory.userById(userId);
        if (!user) throw new HttpProblem('unauthenticated', 'The sign-in expired; enter your password again');
        await refuseIfLocked(user.email, request.ip, user.id, user.workspaceId);
        const result = await checkSecondFactor(ctx, user, request.body.code);
        if (!result.ok) {
          await countFailure(user.email, request.ip, user, `code_${result.reason}`);
          throw new HttpProblem(
            'invalid_credentials',
            result.reason === 'replayed' ? 'This code was already used; wait for the next one' : 'Wrong code',
          );
        }
        await lockout.recordSuccess({ email: user.email, ip: request.ip });
        const session = await issueSession(ctx, user, clientOf(request), { method: result.method });
        return signIn(reply, user, session);
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { auth: 'session' },
        schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...problems } },
      },
      async (request, reply) => {
        const p = userOf(request);
        await revokeSessions(
          ctx,
          { workspaceId: p.workspaceId, userId: p.user.id },
          { only: p.sessionId },
          { actor: { type: 'user', id: p.user.id }, reason: 'signed_out' },
        );
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/auth/me',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          response: { 200: SessionInfo, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const workspace = await ctx.db.forWorkspace(principal.workspaceId).workspace.get();
        return sessionInfoDto(principal.user, workspace, principal.csrfToken, principal.permissions);
      },
    );

    // ── Two-factor ──────────────────────────────────────────────────────────────────────────────────
    const twoFactorState = async (p: ReturnType<typeof userOf>) => {
      const state = await ctx.db.directory.twoFactor(p.workspaceId, p.user.id);
      if (!state) throw new HttpProblem('unauthenticated');
      return state;
    };

    app.get(
      '/api/v1/auth/two-factor',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Two-factor status',
          response: { 200: TwoFactorStatus, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const state = await twoFactorState(p);
        return {
          enabled: state.secret !== null,
          enabledAt: state.enabledAt,
          recoveryCodesLeft: state.recoveryCodeHashes.length,
          available: twoFactorRoles.has(p.user.role),
        };
      },
    );

    app.post(
      '/api/v1/auth/two-factor/enrol',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Start two-factor enrolment: a new secret, shown once',
          response: { 200: TwoFactorEnrolment, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        if (!twoFactorRoles.has(p.user.role))
          throw new HttpProblem('forbidden', 'Two-factor sign-in is for owners and admins');
        if ((await twoFactorState(p)).secret) throw new HttpProblem('conflict', 'Two-factor is already on');
        const secret = newTotpSecret();
        await ctx.db.directory.setPendingTotp(p.workspaceId, p.user.id, secret);
        return {
          secret,
          otpauthUri: otpauthUri({
            secret: base32Decode(secret),
            account: p.user.email,
            issuer: TOTP_ISSUER,
          }),
        };
      },
    );

    app.post(
      '/api/v1/auth/two-factor/confirm',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Turn two-factor on with a first code; returns the recovery codes once',
          body: TwoFactorCodeBody,
          response: { 200: RecoveryCodes, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const state = await twoFactorState(p);
        if (state.secret) throw new HttpProblem('conflict', 'Two-factor is already on');
        if (!state.pendingSecret) throw new HttpProblem('conflict', 'Start the enrolment first');
        const verdict = verifyTotp(base32Decode(state.pendingSecret), request.body.code, ctx.clock.now());
        if (!verdict.ok) throw new HttpProblem('invalid_credentials', 'Wrong code');
        const recoveryCodes = newRecoveryCodes();
        const enabled = await ctx.db.directory.enableTotp(p.workspaceId, p.user.id, {
          pendingSecret: state.pendingSecret,
          step: verdict.step,
          recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode),
          at: ctx.clock.now().toISOString(),
        });
        if (!enabled) throw new HttpProblem('conflict', 'Another enrolment started meanwhile');
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: { type: 'user', id: p.user.id },
          action: 'auth.totp_enabled',
          target: { type: 'user', id: p.user.id },
          details: {},
        });
        return { recoveryCodes };
      },
    );

    app.post(
      '/api/v1/auth/two-factor/disable',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Turn two-factor off (password and a current code)',
          body: DisableTwoFactorBody,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const p = userOf(request);
        await refuseIfLocked(p.user.email, request.ip, p.user.id, p.workspaceId);
        const hash = await ctx.db.directory.passwordHash(p.workspaceId, p.user.id);
        const passwordOk = hash !== null && (await verifyPassword(hash, request.body.password));
        const code = passwordOk ? await checkSecondFactor(ctx, p.user, request.body.code) : null;
        if (!passwordOk || !code?.ok) {
          await countFailure(
            p.user.email,
            request.ip,
            p.user,
            passwordOk ? 'disable_wrong_code' : 'disable_wrong_password',
          );
          throw new HttpProblem('invalid_credentials', passwordOk ? 'Wrong code' : 'Wrong password');
        }
        await ctx.db.directory.disableTotp(p.workspaceId, p.user.id);
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: { type: 'user', id: p.user.id },
          action: 'auth.totp_disabled',
          target: { type: 'user', id: p.user.id },
          details: {},
        });
        return reply.code(204).send(null);
      },
    );

    // ── Sessions and password ───────────────────────────────────────────────────────────────────────
    app.get(
      '/api/v1/auth/sessions',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'My sessions (devices signed in)',
          response: { 200: SessionSummaryList, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const sessions = await ctx.db.directory.listSessions(p.workspaceId, p.user.id);
        return { sessions: sessions.map((s) => sessionSummaryDto(s, p.sessionId)) };
      },
    );

    app.delete(
      '/api/v1/auth/sessions/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Revoke one of my sessions',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const p = userOf(request);
        const revoked = await revokeSessions(
          ctx,
          { workspaceId: p.workspaceId, userId: p.user.id },
          { only: request.params.id },
          { actor: { type: 'user', id: p.user.id }, reason: 'revoked' },
        );
        if (revoked.length === 0) throw new HttpProblem('not_found', 'No such session');
        if (request.params.id === p.sessionId)
          reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/sessions/revoke-others',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Sign out everywhere else',
          response: { 200: RevokedSessions, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        const revoked = await revokeSessions(
          ctx,
          { workspaceId: p.workspaceId, userId: p.user.id },
          { except: p.sessionId },
          { actor: { type: 'user', id: p.user.id }, reason: 'others_revoked' },
        );
        return { revoked: revoked.length };
      },
    );

    app.post(
      '/api/v1/auth/password',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'Change my password (signs out every other session)',
          body: ChangePasswordBody,
          response: { 200: RevokedSessions, ...problems },
        },
      },
      async (request) => {
        const p = userOf(request);
        await refuseIfLocked(p.user.email, request.ip, p.user.id, p.workspaceId);
        const hash = await ctx.db.directory.passwordHash(p.workspaceId, p.user.id);
        if (!hash || !(await verifyPassword(hash, request.body.currentPassword))) {
          await countFailure(p.user.email, request.ip, p.user, 'password_change_wrong_password');
          throw new HttpProblem('invalid_credentials', 'Wrong current password');
        }
        await ctx.db.directory.setPasswordHash(
          p.workspaceId,
          p.user.id,
          await hashPassword(request.body.newPassword),
        );
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: { type: 'user', id: p.user.id },
          action: 'settings.changed',
          target: { type: 'user', id: p.user.id },
          details: { setting: 'password' },
        });
        const revoked = await revokeSessions(
          ctx,
          { workspaceId: p.workspaceId, userId: p.user.id },
          { except: p.sessionId },
          { actor: { type: 'user', id: p.user.id }, reason: 'password_changed' },
        );
        return { revoked: revoked.length };
      },
    );
  };

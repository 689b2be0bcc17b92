// Sign-in with email and password (argon2id), session cookie, sign-out, who am I.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBody, SESSION_COOKIE, SessionInfo } from '@zhike/contracts';
import { rolePermissions } from '@zhike/core';
import Type from 'typebox';
import { recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import { hashPassword, randomToken, sha256, verifyPassword } from '../auth/secrets.ts';
import { createLoginThrottle } from '../auth/throttle.ts';
import type { AppContext } from '../context.ts';
import { sessionInfoDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const SESSION_DAYS = 30;

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const throttle = createLoginThrottle(ctx.clock);
    const secure = ctx.config.publicUrl.startsWith('https://');
    // Verifying against a real hash for unknown emails keeps response times from revealing accounts.
    const dummyHash = hashPassword(randomToken());

    app.post(
      '/api/v1/auth/login',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in',
          body: LoginBody,
          response: { 200: SessionInfo, ...problems },
        },
      },
      async (request, reply) => {
        const email = request.body.email.trim().toLowerCase();
        if (throttle.blocked(request.ip, email))
          throw new HttpProblem('rate_limited', 'Too many failed sign-ins; try again later');
        const account = await ctx.db.directory.userForLogin(email);
        const ok = await verifyPassword(account?.passwordHash ?? (await dummyHash), request.body.password);
        if (!account || !ok) {
          throttle.failed(request.ip, email);
          // No email in the log: a known account is named by id, an unknown one not at all.
          await recordAudit(ctx, {
            workspaceId: account?.workspaceId ?? null,
            actor: account ? { type: 'user', id: account.id } : { type: 'visitor', id: 'unknown' },
            action: 'auth.sign_in_failed',
            details: { reason: account ? 'wrong_password' : 'unknown_account' },
          });
          throw new HttpProblem('invalid_credentials');
        }
        throttle.succeeded(request.ip, email);
        const workspace = await ctx.db.directory.workspaceById(account.workspaceId);
        if (!workspace) throw new HttpProblem('invalid_credentials');
        const token = randomToken(32);
        const csrfToken = randomToken(24);
        const now = ctx.clock.now();
        const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
        const sessionId = ctx.newId();
        await ctx.db.directory.createSession({
          id: sessionId,
          tokenHash: sha256(token),
          userId: account.id,
          workspaceId: account.workspaceId,
          csrfToken,
          createdAt: now.toISOString(),
          expiresAt: expiresAt.toISOString(),
        });
        await recordAudit(ctx, {
          workspaceId: account.workspaceId,
          actor: { type: 'user', id: account.id },
          action: 'auth.signed_in',
          target: { type: 'session', id: sessionId },
          details: {},
        });
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          secure,
          path: '/',
          expires: expiresAt,
        });
        return sessionInfoDto(account, workspace, csrfToken, rolePermissions[account.role]);
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { auth: 'session' },
        schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...problems } },
      },
      async (request, reply) => {
        await ctx.db.directory.deleteSession(userOf(request).sessionId);
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
  };

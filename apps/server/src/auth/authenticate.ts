// One onRequest hook decides who is calling (session cookie or API key), enforces CSRF for cookie
// writes and the route's permission. Routes declare `config: { auth, permission }`; nothing else checks.
import { CSRF_HEADER, SESSION_COOKIE } from '@zhike/contracts';
import { apiKeyPermissions, type Clock, rolePermissions } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthMode, Principal } from '../context.ts';
import { HttpProblem } from '../http/problems.ts';
import { API_KEY_PREFIX, safeEqual, sha256 } from './secrets.ts';
import { type SessionPolicy, sessionAlive, TOUCH_INTERVAL_MS } from './sessions.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session behind a cookie, if it is still alive (not revoked, not idle too long, not past its
 * absolute expiry). Using it moves its last-seen time, at most once a minute.
 */
export async function sessionPrincipal(
  deps: { db: Database; clock: Clock; sessions: SessionPolicy },
  token: string | undefined,
  options: { touch: boolean } = { touch: true },
): Promise<Principal | null> {
  if (!token) return null;
  const { db, clock } = deps;
  const session = await db.directory.sessionByTokenHash(sha256(token));
  const now = clock.now();
  if (!session || !sessionAlive(session, now, deps.sessions)) return null;
  const user = await db.directory.userById(session.userId);
  if (!user || user.workspaceId !== session.workspaceId) return null;
  if (options.touch && now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS)
    await db.directory.touchSession(session.id, now.toISOString());
  return {
    kind: 'user',
    workspaceId: session.workspaceId,
    user,
    sessionId: session.id,
    csrfToken: session.csrfToken,
    permissions: rolePermissions[user.role],
  };
}

export function registerAuthentication(
  app: FastifyInstance,
  deps: { db: Database; clock: Clock; sessions: SessionPolicy },
): void {
  const touched = new Map<string, number>();
  app.decorateRequest('principal', null);

  async function apiKeyPrincipal(header: string): Promise<Principal | null> {
    const token = header.slice('Bearer '.length).trim();
    if (!token.startsWith(API_KEY_PREFIX)) return null;
    const key = await deps.db.directory.apiKeyByHash(sha256(token));
    if (!key) return null;
    const now = deps.clock.now();
    // Record use at most once a minute per key: no write on every request.
    if ((touched.get(key.id) ?? 0) < now.getTime() - 60_000) {
      touched.set(key.id, now.getTime());
      await deps.db.directory.touchApiKey(key.id, now.toISOString());
    }
    return { kind: 'apiKey', workspaceId: key.workspaceId, apiKeyId: key.id, permissions: apiKeyPermissions };
  }

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const config = request.routeOptions.config;
    const mode: AuthMode = config?.auth ?? (request.url.startsWith('/api/v1/') ? 'session' : 'public');
    if (mode === 'public') return;

    const authorization = request.headers.authorization;
    let principal: Principal | null = null;
    if (authorization?.startsWith('Bearer ')) {
      if (mode === 'session')
        throw new HttpProblem('forbidden', 'This route needs a signed-in user, not an API key');
      principal = await apiKeyPrincipal(authorization);
      if (!principal) throw new HttpProblem('unauthenticated', 'Unknown or revoked API key');
    } else {
      principal = await sessionPrincipal(deps, request.cookies[SESSION_COOKIE]);
      if (!principal) {
        throw new HttpProblem(
          'unauthenticated',
          mode === 'apiKey' ? 'Send Authorization: Bearer <API key>' : 'Sign in first',
        );
      }
      if (mode === 'apiKey') throw new HttpProblem('forbidden', 'This route needs an API key');
      const csrf = request.headers[CSRF_HEADER];
      if (
        !SAFE_METHODS.has(request.method) &&
        (typeof csrf !== 'string' || !safeEqual(csrf, principal.kind === 'user' ? principal.csrfToken : ''))
      ) {
        throw new HttpProblem('csrf_failed', `Send the session's csrfToken in the ${CSRF_HEADER} header`);
      }
    }
    if (config?.permission && !principal.permissions.has(config.permission)) {
      throw new HttpProblem('forbidden', `Missing permission ${config.permission}`);
    }
    request.principal = principal;
  });
}

/** The authenticated caller; routes behind auth can rely on it. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpProblem('unauthenticated');
  return request.principal;
}

export function userOf(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = principalOf(request);
  if (p.kind !== 'user') throw new HttpProblem('forbidden', 'This route needs a signed-in user');
  return p;
}

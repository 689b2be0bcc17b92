// Sign-in hardening on both backends: TOTP two-factor (enrol, two-step sign-in, wrong and replayed
// codes, single-use recovery codes, disabling), lockout counting passwords and codes alike, idle and
// absolute session expiry on an injected clock, listing and revoking sessions, and a revoked session's
// console socket being closed.
import { SESSION_COOKIE, type SessionInfo } from '@zhike/contracts';
import { type Backend, createTestDatabase, testBackends } from '@zhike/db';
import { base32Decode, totp } from '@zhike/security';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashPassword } from './auth/secrets.ts';
import { purgeEndedSessions } from './auth/sessions.ts';
import { CONSOLE_SESSION_ENDED } from './gateway/consoleGateway.ts';
import { createTestApp, TEST_ADMIN, type TestApp, type TestSession } from './testing.ts';

const MIN = 60_000;

describe.each(testBackends)('sign-in hardening on %s', (backend: Backend) => {
  let t: TestApp;
  let wsBase: string;
  let httpBase: string;
  let current = Date.now();
  const clock = { now: () => new Date(current) };
  const advance = (ms: number) => {
    current += ms;
  };
  // Past the step a code was last accepted in, so the next code is a fresh one.
  const nextStep = () => advance(30_000);

  beforeAll(async () => {
    t = await createTestApp(backend, {
      clock,
      // Housekeeping (which purges ended sessions) runs here by hand, not when the clock jumps.
      startWorker: false,
      env: { ZHIKE_SESSION_IDLE_MINUTES: '30', ZHIKE_SESSION_MAX_DAYS: '1' },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    wsBase = `ws://127.0.0.1:${port}`;
    httpBase = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => t?.close());

  const inject = (opts: InjectOptions) => t.app.inject(opts);
  const login = (email: string, password: string) =>
    inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const secondStep = (pendingToken: string, code: string) =>
    inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { pendingToken, code } });
  const me = (s: { cookie: string }) => inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
  const cookieOf = (res: Awaited<ReturnType<typeof login>>) => {
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
    return c ? `${SESSION_COOKIE}=${c.value}` : null;
  };
  const sessionOf = (res: Awaited<ReturnType<typeof login>>): TestSession => {
    const cookie = cookieOf(res);
    if (!cookie) throw new Error(`no cookie: ${res.statusCode} ${res.body}`);
    const info = res.json() as SessionInfo;
    return { cookie, csrf: info.csrfToken, info, headers: { cookie, 'x-csrf-token': info.csrfToken } };
  };
  const code = (secret: string) => totp(base32Decode(secret), clock.now());

  let people = 0;
  async function addUser(role: 'owner' | 'admin' | 'supervisor' | 'agent', password = 'user-password-1') {
    const email = `${role}${++people}-${backend}@test.zhike.local`;
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId: await t.demoWorkspaceId(),
      email,
      name: `${role} ${people}`,
      role,
      createdAt: clock.now().toISOString(),
      passwordHash: await hashPassword(password),
    });
    return { email, password };
  }

  async function enableTwoFactor(session: TestSession): Promise<{ secret: string; recoveryCodes: string[] }> {
    const enrol = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/enrol',
      headers: session.headers,
    });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri } = enrol.json() as { secret: string; otpauthUri: string };
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?secret=[A-Z2-7]+&issuer=/);
    const confirm = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/confirm',
      headers: session.headers,
      payload: { code: code(secret) },
    });
    expect(confirm.statusCode).toBe(200);
    return { secret, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
  }

  async function auditActions(): Promise<string[]> {
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    return (await store.auditTrail.list({ limit: 200 })).map((e) => e.action);
  }

  it('two-factor: enrol, sign in in two steps, refuse wrong and replayed codes, use recovery codes once', async () => {
    const admin = await addUser('admin');
    const session = sessionOf(await login(admin.email, admin.password));

    const early = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/confirm',
      headers: session.headers,
      payload: { code: '123456' },
    });
    expect(early.statusCode).toBe(409); // nothing to confirm before enrolling

    const enrol = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/enrol',
      headers: session.headers,
    });
    const { secret } = enrol.json() as { secret: string };
    const wrong = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/confirm',
      headers: session.headers,
      payload: { code: code(secret) === '000000' ? '111111' : '000000' },
    });
    expect(wrong.statusCode).toBe(401);
    const confirmed = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/confirm',
      headers: session.headers,
      payload: { code: code(secret) },
    });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(8);
    expect(new Set(recoveryCodes).size).toBe(8);
    const status = await inject({ url: '/api/v1/auth/two-factor', headers: { cookie: session.cookie } });
    expect(status.json()).toMatchObject({ enabled: true, recoveryCodesLeft: 8, available: true });

    // The password alone gives a pending token, never a cookie.
    const first = await login(admin.email, admin.password);
    expect(first.statusCode).toBe(202);
    expect(cookieOf(first)).toBeNull();
    const { pendingToken } = first.json() as { pendingToken: string };
    expect((await secondStep(pendingToken, '12345')).statusCode).toBe(400);
    const bad = await secondStep(pendingToken, code(secret) === '999999' ? '888888' : '999999');
    expect(bad.statusCode).toBe(401);
    expect(cookieOf(bad)).toBeNull();
    // The code that confirmed the enrolment is spent: replaying it within its window is refused.
    const replayedConfirm = await secondStep(pendingToken, code(secret));
    expect(replayedConfirm.statusCode).toBe(401);
    expect(replayedConfirm.json().detail).toMatch(/already used/);

    nextStep();
    const ok = await secondStep(pendingToken, code(secret));
    expect(ok.statusCode).toBe(200);
    expect((await me(sessionOf(ok))).statusCode).toBe(200);
    const again = await secondStep(
      (await login(admin.email, admin.password)).json().pendingToken,
      code(secret),
    );
    expect(again.statusCode).toBe(401);

    // A forged or expired pending token is not a way around the password.
    const [userId, expires] = pendingToken.split('.');
    expect((await secondStep(`${userId}.${expires}.forged`, code(secret))).statusCode).toBe(401);
    advance(6 * MIN);
    expect((await secondStep(pendingToken, code(secret))).statusCode).toBe(401);

    const pending = (await login(admin.email, admin.password)).json().pendingToken as string;
    const recovered = await secondStep(pending, recoveryCodes[0]!.toUpperCase());
    expect(recovered.statusCode).toBe(200);
    const pending2 = (await login(admin.email, admin.password)).json().pendingToken as string;
    expect((await secondStep(pending2, recoveryCodes[0]!)).statusCode).toBe(401);

    // Off only with the password and a current code.
    nextStep();
    const s2 = sessionOf(recovered);
    const noPassword = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/disable',
      headers: s2.headers,
      payload: { password: 'not-the-password', code: code(secret) },
    });
    expect(noPassword.statusCode).toBe(401);
    const off = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/disable',
      headers: s2.headers,
      payload: { password: admin.password, code: code(secret) },
    });
    expect(off.statusCode).toBe(204);
    expect((await login(admin.email, admin.password)).statusCode).toBe(200);
    expect(await auditActions()).toEqual(expect.arrayContaining(['auth.totp_enabled', 'auth.totp_disabled']));
  });

  it('offers two-factor to owners and admins, not to agents', async () => {
    const agent = await addUser('agent');
    const session = sessionOf(await login(agent.email, agent.password));
    const status = await inject({ url: '/api/v1/auth/two-factor', headers: { cookie: session.cookie } });
    expect(status.json()).toMatchObject({ enabled: false, available: false });
    const enrol = await inject({
      method: 'POST',
      url: '/api/v1/auth/two-factor/enrol',
      headers: session.headers,
    });
    expect(enrol.statusCode).toBe(403);
  });

  it('locks an account after 5 failed passwords, and after 5 failed codes', async () => {
    const admin = await addUser('admin');
    for (let i = 0; i < 5; i++) expect((await login(admin.email, 'wrong-password')).statusCode).toBe(401);
    const locked = await login(admin.email, admin.password);
    expect(locked.statusCode).toBe(429);
    expect(await auditActions()).toContain('auth.locked_out');
    advance(15 * MIN);
    expect((await login(admin.email, admin.password)).statusCode).toBe(200);

    const owner = await addUser('owner');
    const { secret } = await enableTwoFactor(sessionOf(await login(owner.email, owner.password)));
    nextStep();
    const pending = (await login(owner.email, owner.password)).json().pendingToken as string;
    const wrong = code(secret) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await secondStep(pending, wrong)).statusCode).toBe(401);
    const right = await secondStep(pending, code(secret));
    expect(right.statusCode).toBe(429);
    expect(cookieOf(right)).toBeNull();
    // The password step is locked too: the same account, whichever factor failed.
    expect((await login(owner.email, owner.password)).statusCode).toBe(429);
  });

  it('ends sessions after the idle time and at the absolute limit (injected clock)', async () => {
    const idle = sessionOf(await login(TEST_ADMIN.email, TEST_ADMIN.password));
    advance(29 * MIN);
    expect((await me(idle)).statusCode).toBe(200); // use moves last-seen forward
    advance(29 * MIN);
    expect((await me(idle)).statusCode).toBe(200);
    advance(31 * MIN);
    expect((await me(idle)).statusCode).toBe(401);

    const busy = sessionOf(await login(TEST_ADMIN.email, TEST_ADMIN.password));
    for (let elapsed = 0; elapsed < (23 * 60 + 40) * MIN; elapsed += 20 * MIN) {
      advance(20 * MIN);
      expect((await me(busy)).statusCode).toBe(200);
    }
    advance(20 * MIN); // one day since sign-in, though used 20 minutes ago
    expect((await me(busy)).statusCode).toBe(401);

    // Housekeeping deletes ended sessions (and the device addresses they hold).
    const ownerId = (await t.app.zhike.db.directory.userForLogin(TEST_ADMIN.email))!.id;
    const workspaceId = await t.demoWorkspaceId();
    expect((await t.app.zhike.db.directory.listSessions(workspaceId, ownerId)).length).toBeGreaterThanOrEqual(
      2,
    );
    expect(await purgeEndedSessions(t.app.zhike)).toBeGreaterThanOrEqual(2);
    expect(await t.app.zhike.db.directory.listSessions(workspaceId, ownerId)).toEqual([]);
  });

  it('lists my sessions with masked addresses; revokes one, all others, and all others on password change', async () => {
    const user = await addUser('supervisor', 'first-password-1');
    const a = sessionOf(await login(user.email, user.password));
    const b = sessionOf(await login(user.email, user.password));
    const c = sessionOf(await login(user.email, user.password));
    const list = await inject({ url: '/api/v1/auth/sessions', headers: { cookie: a.cookie } });
    const sessions = list.json().sessions as {
      id: string;
      current: boolean;
      ip: string;
      userAgent: string;
    }[];
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]!.ip).toBe('127.0.*.*');
    expect(sessions[0]!.userAgent).toBe('lightMyRequest');

    const cId = sessions.find((s) => !s.current && s.id)!.id;
    const revoked = await inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${cId}`,
      headers: a.headers,
    });
    expect(revoked.statusCode).toBe(204);
    const stillIn = [await me(b), await me(c)].filter((r) => r.statusCode === 200);
    expect(stillIn).toHaveLength(1);
    // Another user's session id is not mine to revoke.
    const owner = await t.login();
    const foreign = await inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${owner.info.user.id}`,
      headers: a.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await me(owner)).statusCode).toBe(200);

    const d = sessionOf(await login(user.email, user.password));
    const others = await inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      headers: a.headers,
    });
    expect(others.json()).toEqual({ revoked: 2 });
    expect((await me(d)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);

    const e = sessionOf(await login(user.email, user.password));
    const wrongCurrent = await inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: a.headers,
      payload: { currentPassword: 'nope', newPassword: 'second-password-2' },
    });
    expect(wrongCurrent.statusCode).toBe(401);
    const changed = await inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: a.headers,
      payload: { currentPassword: user.password, newPassword: 'second-password-2' },
    });
    expect(changed.json()).toEqual({ revoked: 1 });
    expect((await me(e)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);
    expect((await login(user.email, user.password)).statusCode).toBe(401);
    expect((await login(user.email, 'second-password-2')).statusCode).toBe(200);
  });

  it('lets an admin deactivate someone: their sessions end, their socket closes, they cannot sign in', async () => {
    const adminAccount = await addUser('admin');
    const admin = sessionOf(await login(adminAccount.email, adminAccount.password));
    const agentAccount = await addUser('agent');
    const agent = sessionOf(await login(agentAccount.email, agentAccount.password));
    const agentId = agent.info.user.id;
    const deactivate = (by: TestSession, id: string) =>
      inject({ method: 'POST', url: `/api/v1/users/${id}/deactivate`, headers: by.headers });

    expect((await deactivate(agent, admin.info.user.id)).statusCode).toBe(403); // agents may not
    expect((await deactivate(admin, admin.info.user.id)).statusCode).toBe(409); // nor oneself
    const owner = await t.login();
    expect((await deactivate(admin, owner.info.user.id)).statusCode).toBe(403); // nor an owner, as admin

    const ws = new WebSocket(`${wsBase}/api/v1/console/ws`, {
      headers: { cookie: agent.cookie, origin: httpBase },
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    expect((await deactivate(admin, agentId)).statusCode).toBe(204);
    expect(await closed).toBe(CONSOLE_SESSION_ENDED);
    expect((await me(agent)).statusCode).toBe(401);
    expect((await login(agentAccount.email, agentAccount.password)).statusCode).toBe(401);
    expect((await deactivate(admin, agentId)).statusCode).toBe(404); // already
    expect(await auditActions()).toEqual(expect.arrayContaining(['user.removed']));
  });

  it('closes the console socket of a revoked session, and its next request is 401', async () => {
    const user = await addUser('agent');
    const a = sessionOf(await login(user.email, user.password));
    const b = sessionOf(await login(user.email, user.password));
    const ws = new WebSocket(`${wsBase}/api/v1/console/ws`, {
      headers: { cookie: b.cookie, origin: httpBase },
    });
    const frames: string[] = [];
    ws.on('message', (raw) => frames.push(String(raw)));
    const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await expect.poll(() => frames.some((f) => f.includes('"ready"'))).toBe(true);

    const list = await inject({ url: '/api/v1/auth/sessions', headers: { cookie: a.cookie } });
    const bId = (list.json().sessions as { id: string; current: boolean }[]).find((s) => !s.current)!.id;
    const res = await inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${bId}`, headers: a.headers });
    expect(res.statusCode).toBe(204);
    expect(await closed).toBe(CONSOLE_SESSION_ENDED);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);
  });
});

describe('lockout shared by two processes through Redis (PostgreSQL)', () => {
  const redisUrl = process.env.ZHIKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    const database = await createTestDatabase('postgres');
    const channel = `zhike:test:${Math.random().toString(36).slice(2)}`;
    one = await createTestApp('postgres', { database, env: { REDIS_URL: redisUrl }, redisChannel: channel });
    two = await createTestApp('postgres', { database, env: { REDIS_URL: redisUrl }, redisChannel: channel });
    const close = two.close;
    two.close = async () => {
      await close();
      await database.drop();
    };
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('locks the account on every process after failures spread over both', async () => {
    // A fresh address per run: the Redis counters outlive the test database.
    const email = `spread-${Date.now()}-${Math.random().toString(36).slice(2)}@test.zhike.local`;
    await one.app.zhike.db.directory.addUser({
      id: one.app.zhike.newId(),
      workspaceId: await one.demoWorkspaceId(),
      email,
      name: 'spread',
      role: 'admin',
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('the-right-password'),
    });
    // And a fresh client address: the per-address counter in Redis outlives the run too.
    const remoteAddress = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
    const attempt = (t: TestApp, password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
        remoteAddress,
      });
    for (const t of [one, two, one, two, one]) expect((await attempt(t, 'wrong')).statusCode).toBe(401);
    expect((await attempt(two, 'the-right-password')).statusCode).toBe(429);
    expect((await attempt(one, 'the-right-password')).statusCode).toBe(429);
  });

  it('closes a console socket on one process when its session is revoked on the other', async () => {
    await two.app.listen({ port: 0, host: '127.0.0.1' });
    const address = two.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const here = await one.login();
    const there = await two.login();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/console/ws`, {
      headers: { cookie: there.cookie, origin: `http://127.0.0.1:${port}` },
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    const res = await one.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      headers: here.headers,
    });
    expect(res.json().revoked).toBeGreaterThanOrEqual(1);
    expect(await closed).toBe(CONSOLE_SESSION_ENDED);
  });
});

// Test support: a real app on a fresh database (SQLite temp file or a throwaway PostgreSQL schema),
// plus helpers to sign in and make API keys. Used by the server's tests and by tests/integration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSRF_HEADER, SESSION_COOKIE, type SessionInfo } from '@zhike/contracts';
import type { Role } from '@zhike/core';
import { type Backend, createTestDatabase, type TestDatabase } from '@zhike/db';
import { type AppOptions, createApp, type ZhikeApp } from './app.ts';
import { hashPassword } from './auth/secrets.ts';
import { type Config, loadConfig } from './config.ts';
import { createApiKey } from './http/apiKeys.ts';

export const TEST_MASTER_KEY = Buffer.alloc(32, 'zhike-test-master-key').toString('base64');

export const TEST_ADMIN = { email: 'owner@test.zhike.local', password: 'correct horse battery' };

export interface TestApp {
  app: ZhikeApp;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
  login(email?: string, password?: string): Promise<TestSession>;
  apiKey(workspaceId?: string): Promise<string>;
  demoWorkspaceId(): Promise<string>;
  /** A new user of the demo workspace (an agent unless `role` says otherwise), signed in. */
  signInNewUser(user: {
    email: string;
    name: string;
    role?: Role;
  }): Promise<{ id: string; session: TestSession }>;
}

export interface TestSession {
  cookie: string;
  csrf: string;
  info: SessionInfo;
  /** Headers for an authenticated write. */
  headers: Record<string, string>;
}

/** Apps created and not yet closed: a test file that forgets one leaves its job poller running. */
const openApps = new Set<TestApp>();

/**
 * Closes the apps a test file left open and returns how many. Test files share one process (see
 * vitest.config.ts), so a forgotten app would keep polling for jobs through every later file.
 */
export async function closeLeftoverTestApps(): Promise<number> {
  const left = [...openApps];
  await Promise.allSettled(left.map((t) => t.close()));
  return left.length;
}

export async function createTestApp(
  backend: Backend,
  options: AppOptions & { env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(backend));
  const dataDir = mkdtempSync(join(tmpdir(), 'zhike-data-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    ZHIKE_DATA_DIR: dataDir,
    ZHIKE_ADMIN_EMAIL: TEST_ADMIN.email,
    ZHIKE_ADMIN_PASSWORD: TEST_ADMIN.password,
    ZHIKE_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    // Shared like the secret, so two test apps on one database read each other's encrypted rows.
    ZHIKE_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: 'silent',
    PORT: '0',
    // Tests start from an empty history; a test that wants one writes it.
    ZHIKE_DEMO_HISTORY: '0',
    // Two lanes share two cores in CI: a test's own bursts must not be shed as overload (limits.test.ts
    // switches it on where shedding is what is tested).
    ZHIKE_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...options.env,
  });
  const app = await createApp(config, { jobPollMs: 50, ...options });
  const t: TestApp = {
    app,
    config,
    database,
    async close() {
      if (!openApps.delete(t)) return;
      await app.close();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async login(email = TEST_ADMIN.email, password = TEST_ADMIN.password) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
      if (!cookie) throw new Error('no session cookie');
      const info = res.json() as SessionInfo;
      const header = `${SESSION_COOKIE}=${cookie.value}`;
      return {
        cookie: header,
        csrf: info.csrfToken,
        info,
        headers: { cookie: header, [CSRF_HEADER]: info.csrfToken },
      };
    },
    async apiKey(workspaceId) {
      const id = workspaceId ?? (await t.demoWorkspaceId());
      return (await createApiKey(app.zhike, id, 'test')).secret;
    },
    async demoWorkspaceId() {
      const ws = await app.zhike.db.directory.workspaceBySlug(app.zhike.seed.workspaceSlug);
      if (!ws) throw new Error('no seeded workspace');
      return ws.id;
    },
    async signInNewUser(user) {
      const id = app.zhike.newId();
      const password = 'new-user-password';
      await app.zhike.db.directory.addUser({
        id,
        workspaceId: await t.demoWorkspaceId(),
        email: user.email,
        name: user.name,
        role: user.role ?? 'agent',
        createdAt: new Date().toISOString(),
        passwordHash: await hashPassword(password),
      });
      return { id, session: await t.login(user.email, password) };
    },
  };
  openApps.add(t);
  return t;
}

/**
 * Polls until check returns a value (not undefined/false), or fails after timeoutMs: generous, because
 * the suite's lanes share two cores and a passing check returns at once.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

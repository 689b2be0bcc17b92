// Starts the real server as a child process (the same entry point as `npm start`) for tests that need
// real processes: crash recovery, several processes sharing PostgreSQL and Redis, the browser tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;
const cli = join(repoRoot, 'apps/cli/bin/zhike.mjs');

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly output: () => string;
  /** SIGKILL: no shutdown hooks run, like a power cut. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const address = srv.address();
  srv.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export function tempDataDir(prefix = 'zhike-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const ADMIN = { email: 'owner@test.zhike.local', password: 'correct horse battery staple' };

/** Environment for a server that owns `dataDir` (SQLite unless `databaseUrl` says otherwise). */
export function serverEnv(opts: { dataDir: string; port: number; databaseUrl?: string; redisUrl?: string }) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    ZHIKE_PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
    DATABASE_URL: opts.databaseUrl ?? join(opts.dataDir, 'zhike.db'),
    ZHIKE_DATA_DIR: opts.dataDir,
    ZHIKE_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    // Shared by every process on one database, like the secret (32 bytes, base64).
    ZHIKE_MASTER_KEY: Buffer.alloc(32, 'zhike-test-master-key').toString('base64'),
    ZHIKE_ADMIN_EMAIL: ADMIN.email,
    ZHIKE_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    // Browser tests start from an empty conversation list (no demo history).
    ZHIKE_DEMO_HISTORY: '0',
    // Browser and process tests run beside another lane on two cores: no load shedding (limits.test.ts
    // tests it).
    ZHIKE_MAX_EVENT_LOOP_DELAY_MS: '0',
  };
  if (opts.redisUrl) env.REDIS_URL = opts.redisUrl;
  return env;
}

export async function runCli(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [cli, ...args], { env, cwd: repoRoot });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`zhike ${args.join(' ')} exited ${code}:\n${out}`);
  return out;
}

export async function startServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const port = Number(env.PORT);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve'], { env, cwd: repoRoot });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`server exited before it was healthy:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not healthy after ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    output: () => out,
    async kill9() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

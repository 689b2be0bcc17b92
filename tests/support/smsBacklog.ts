// A backlog of due SMS sends for the scheduler's process tests: a PostgreSQL schema, the Alibaba Cloud SMS
// double, an SMS inbox pointed at it (made through the console API of a real server process), and agent
// replies to many customers, each an outbox `channel.deliver` job, written while no server runs. Also
// what the tests read back: the jobs' state and every delivery the double took, by OutId.
import { createHash } from 'node:crypto';
import type { SessionInfo } from '@zhike/contracts';
import { createIdGenerator, replyAsAgent, systemClock } from '@zhike/core';
import { type Database, openDatabase } from '@zhike/db';
import { masterKey } from '@zhike/security';
import pg from 'pg';
import { consoleApi, login } from './clients.ts';
import { type FakeAliyunSms, startFakeAliyunSms } from './fakeProviders/aliyunSms.ts';
import { createSchema } from './postgres.ts';
import { ADMIN, freePort, serverEnv, startServer, tempDataDir } from './serverProcess.ts';

/** A start through tsx on a loaded 2-core machine takes long; a hung one still fails. */
export const START_TIMEOUT_MS = 120_000;

export interface SmsBacklog {
  sms: FakeAliyunSms;
  /** Environment for a server process on the backlog's database (give each process its own PORT). */
  env: (port: number) => Record<string, string>;
  db: Database;
  workspaceId: string;
  /** The OutId each reply goes out with (the adapter's hash of the message id). */
  outIds: Set<string>;
  /** `channel.deliver` jobs by status, and the highest attempt count among them. */
  /** Moves every `channel.deliver` job's run-at to `at` (far ahead holds the backlog back). */
  setRunAt(at: Date): Promise<void>;
  jobState(): Promise<{ byStatus: Record<string, number>; maxAttempts: number; attempts: number[] }>;
  close(): Promise<void>;
}

export async function createSmsBacklog(options: {
  customers: number;
  repliesEach: number;
  leaseSeconds: number;
}): Promise<SmsBacklog> {
  const schema = await createSchema();
  const sms = await startFakeAliyunSms();
  const dataDir = tempDataDir('zhike-scheduler-');
  const env = (port: number) => ({
    ...serverEnv({ dataDir, port, databaseUrl: schema.url }),
    ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1',
    ZHIKE_JOB_LEASE_SECONDS: String(options.leaseSeconds),
  });
  const first = await startServer(env(await freePort()), START_TIMEOUT_MS);
  let inboxId: string;
  let me: SessionInfo;
  try {
    const owner = await login(first.url, ADMIN.email, ADMIN.password);
    me = await consoleApi<SessionInfo>(first.url, owner, '/api/v1/auth/me');
    const inbox = await consoleApi<{ id: string }>(first.url, owner, '/api/v1/inboxes', {
      name: '售后短信',
      adapter: 'aliyun-sms',
      config: {
        accessKeyId: sms.accessKeyId,
        accessKeySecret: sms.accessKeySecret,
        signName: sms.signName,
        templateCode: sms.templateCode,
        templateVariable: 'content',
        callbackToken: 'scheduler_callback_token_0123456789',
        endpoint: sms.endpoint,
      },
    });
    inboxId = inbox.id;
  } finally {
    await first.stop();
  }

  const workspaceId = me.workspace.id;
  const newId = createIdGenerator(systemClock);
  const db = openDatabase({
    url: schema.url,
    newId,
    masterKeys: [masterKey(serverEnv({ dataDir, port: 0 }).ZHIKE_MASTER_KEY ?? '')],
  });
  const store = db.forWorkspace(workspaceId);
  const deps = { store, clock: systemClock, newId };
  const outIds = new Set<string>();
  const writeCustomer = async (c: number) => {
    const now = new Date().toISOString();
    const phone = `+86139${String(c).padStart(8, '0')}`;
    const customer = await store.customers.create({
      id: newId(),
      name: `顾客${c}`,
      email: null,
      phone,
      identity: { kind: 'phone', value: phone, verified: true, source: 'test' },
      createdAt: now,
    });
    if (!customer) throw new Error(`customer ${c} exists`);
    const conversationId = newId();
    await store.conversations.create({
      id: conversationId,
      workspaceId,
      inboxId,
      customerId: customer.id,
      channel: 'sms',
      status: 'open',
      priority: 'normal',
      tags: [],
      assigneeId: me.user.id,
      handedOff: true,
      botActive: false,
      queueId: null,
      priorityScore: 0,
      waitingSince: null,
      routing: null,
      createdAt: now,
      updatedAt: now,
    });
    for (let r = 0; r < options.repliesEach; r++) {
      const { message } = await replyAsAgent(deps, {
        conversationId,
        agentId: me.user.id,
        text: `您的售后单 ${c}-${r} 已处理，如有问题请回复。`,
      });
      outIds.add(createHash('sha256').update(message.id).digest('hex').slice(0, 32));
    }
  };
  // A few writers at once: the backlog is written in seconds, not minutes.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < options.customers) await writeCustomer(next++);
    }),
  );

  return {
    sms,
    env,
    db,
    workspaceId,
    outIds,
    async setRunAt(at) {
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      try {
        await client.query(`update jobs set run_at = $1 where name = 'channel.deliver'`, [at.toISOString()]);
      } finally {
        await client.end();
      }
    },
    async jobState() {
      const jobs = (await db.jobs.list({ name: 'channel.deliver', workspaceId })).map((j) => ({
        status: j.status,
        attempts: j.attempts,
      }));
      const byStatus: Record<string, number> = {};
      for (const j of jobs) byStatus[j.status] = (byStatus[j.status] ?? 0) + 1;
      const attempts = jobs.map((j) => j.attempts);
      return { byStatus, maxAttempts: Math.max(0, ...attempts), attempts };
    },
    async close() {
      await db.close();
      await sms.close();
      await schema.drop();
    },
  };
}

/** How many times the double took each OutId. */
export function sendsByOutId(sms: FakeAliyunSms): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sms.sent) counts.set(m.outId ?? '', (counts.get(m.outId ?? '') ?? 0) + 1);
  return counts;
}

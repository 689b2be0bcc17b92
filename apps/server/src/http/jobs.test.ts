// Failed jobs in the console's API: listed by status and name in pages, retried one at a time or all of a
// name (each with a fresh set of attempts, and the worker then really runs them), admins only.
import type { JobPage, JobView } from '@zhike/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/secrets.ts';
import { createTestApp, type TestApp, type TestSession } from '../testing.ts';

describe('jobs API', () => {
  let t: TestApp;
  let owner: TestSession;
  let workspaceId: string;

  const drain = async () => {
    for (let round = 0; round < 20; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
  };
  const failingDelivery = async (key: string) => {
    await t.app.zhike.db.forWorkspace(workspaceId).jobs.enqueue({
      name: 'channel.deliver',
      payload: { workspaceId, messageId: `missing-${key}` },
      runAt: new Date().toISOString(),
      idempotencyKey: `jobs-test-${key}`,
    });
  };
  const get = async (url: string, session = owner) =>
    t.app.inject({ method: 'GET', url, headers: session.headers });
  const post = async (url: string, payload?: unknown, session = owner) =>
    t.app.inject({ method: 'POST', url, headers: session.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp('sqlite', { startWorker: false });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    for (const key of ['a', 'b', 'c']) await failingDelivery(key);
    await drain();
  });
  afterAll(() => t?.close());

  it('lists failed jobs newest first, by name, in pages', async () => {
    const first = await get('/api/v1/jobs?status=failed&name=channel.deliver&limit=2');
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json() as JobPage;
    expect(page.jobs).toHaveLength(2);
    expect(page.jobs.every((j) => j.status === 'failed' && j.name === 'channel.deliver')).toBe(true);
    expect(page.jobs[0]?.lastError).toBe('message no longer exists');
    expect(page.jobs[0]!.id > page.jobs[1]!.id).toBe(true);
    const rest = (
      await get(`/api/v1/jobs?status=failed&limit=2&cursor=${page.nextCursor}`)
    ).json() as JobPage;
    expect(rest.jobs).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    expect((await get('/api/v1/jobs?status=failed&name=bot.reply')).json()).toEqual({
      jobs: [],
      nextCursor: null,
    });
    expect((await get('/api/v1/jobs?status=stuck')).statusCode).toBe(400);
  });

  it('retries one failed job with fresh attempts, then refuses to retry it while it is not failed', async () => {
    const [job] = ((await get('/api/v1/jobs?status=failed&limit=1')).json() as JobPage).jobs;
    const res = await post(`/api/v1/jobs/${job!.id}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: job!.id,
      status: 'pending',
      attempts: 0,
    } satisfies Partial<JobView>);
    const again = await post(`/api/v1/jobs/${job!.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    // The worker runs it again (the message is still missing, so it fails again, attempt 1).
    await drain();
    const after = ((await get('/api/v1/jobs?status=failed')).json() as JobPage).jobs.find(
      (j) => j.id === job!.id,
    );
    expect(after).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await post(`/api/v1/jobs/${t.app.zhike.newId()}/retry`)).statusCode).toBe(404);
    expect((await post('/api/v1/jobs/not-an-id/retry')).statusCode).toBe(400);
  });

  it('retries every failed job of a name', async () => {
    const res = await post('/api/v1/jobs/retry', { name: 'channel.deliver' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ retried: 3 });
    const pending = (await get('/api/v1/jobs?status=pending&name=channel.deliver')).json() as JobPage;
    expect(pending.jobs).toHaveLength(3);
    expect((await post('/api/v1/jobs/retry', { name: 'Not A Name' })).statusCode).toBe(400);
    await drain();
  });

  it('is for admins: an agent is refused', async () => {
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email: 'jobs-agent@test.zhike.local',
      name: '小李',
      role: 'agent',
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('agent-password'),
    });
    const agent = await t.login('jobs-agent@test.zhike.local', 'agent-password');
    expect((await get('/api/v1/jobs', agent)).statusCode).toBe(403);
    expect((await post('/api/v1/jobs/retry', { name: 'channel.deliver' }, agent)).statusCode).toBe(403);
  });
});

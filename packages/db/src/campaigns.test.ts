// The campaigns repository on both backends: targets sealed and claimed once per attempt (a second tick
// cannot dial the same target), the pace and lease bookkeeping, progress counts with the mean survey
// score, the do-not-call list by normalised number, and everything scoped to its workspace.
import { createIdGenerator, systemClock, type WorkspaceStore } from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('campaigns on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const workspaces: string[] = [];
  const store = (i: number): WorkspaceStore => db.forWorkspace(workspaces[i]!);
  const t0 = '2026-11-26T03:00:00.000Z';

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const slug of ['ca', 'cb']) {
      const id = newId();
      workspaces.push(id);
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: t0 },
        owner: {
          id: newId(),
          workspaceId: id,
          email: `${slug}@x.test`,
          name: slug,
          role: 'owner',
          createdAt: t0,
          passwordHash: 'x',
        },
        inboxes: [],
        faqs: [],
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const campaign = (id: string) => ({
    id,
    name: '售后回访',
    kind: 'survey' as const,
    purpose: 'service' as const,
    inboxId: 'voice-inbox',
    script: '请为本次服务打分',
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    quietHours: { start: '21:00', end: '09:00' },
    callsPerMinute: 10,
    maxConcurrent: 2,
    maxAttempts: 3,
    retryDelayMinutes: 30,
    status: 'draft' as const,
    createdBy: 'owner',
    createdAt: t0,
    startedAt: null,
    finishedAt: null,
  });

  it('stores targets sealed and claims each for one attempt at a time', async () => {
    const id = newId();
    const targets = ['+8613800000001', '+8613800000002', '+8613800000003'].map((phone) => ({
      id: newId(),
      customerId: null,
      conversationId: null,
      phone,
    }));
    await store(0).campaigns.create(campaign(id), targets);
    const { kysely } = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    const raw = await sql<{ phone: string }>`select phone from campaign_targets where campaign_id = ${id}`
      .execute(kysely)
      .finally(() => kysely.destroy());
    expect(raw.rows.map((r) => r.phone).join(' ')).not.toContain('13800000001');

    expect(await store(0).campaigns.setStatus(id, { from: ['draft'], to: 'running', at: t0 })).toBe(true);
    expect(await store(0).campaigns.setStatus(id, { from: ['draft'], to: 'running', at: t0 })).toBe(false);
    const due = await store(0).campaigns.dueTargets(id, t0, 10);
    expect(due.map((t) => t.phone)).toEqual(targets.map((t) => t.phone));

    const lease = '2026-11-26T03:10:00.000Z';
    const first = await store(0).campaigns.claimForDial(targets[0]!.id, t0, lease);
    expect(first).toMatchObject({ status: 'dialing', attempts: 1 });
    expect(await store(0).campaigns.claimForDial(targets[0]!.id, t0, lease)).toBeNull();
    expect(await store(1).campaigns.claimForDial(targets[1]!.id, t0, lease)).toBeNull();
    expect(await store(0).campaigns.inFlight(id)).toBe(1);
    expect(await store(0).campaigns.placedSince(id, '2026-11-26T02:59:00.000Z')).toEqual([t0]);

    await store(0).campaigns.finishAttempt(targets[0]!.id, {
      status: 'reached',
      nextAttemptAt: null,
      outcome: 'answered',
      result: { score: 4, answer: '4' },
      callId: 'call-1',
      at: t0,
    });
    await store(0).campaigns.claimForDial(targets[1]!.id, t0, lease);
    await store(0).campaigns.finishAttempt(targets[1]!.id, {
      status: 'pending',
      nextAttemptAt: '2026-11-26T03:30:00.000Z',
      outcome: 'no_answer',
      result: null,
      callId: null,
      at: t0,
    });
    await store(0).campaigns.skip(targets[2]!.id, 'do_not_call', t0);
    expect(await store(0).campaigns.nextDueAt(id, t0)).toBe('2026-11-26T03:30:00.000Z');
    expect(await store(0).campaigns.progress(id)).toEqual({
      total: 3,
      pending: 1,
      dialing: 0,
      reached: 1,
      unreached: 0,
      skipped: 1,
      averageScore: 4,
    });
    const skipped = await store(0).campaigns.targets(id, { limit: 10, status: 'skipped' });
    expect(skipped.map((t) => t.skipReason)).toEqual(['do_not_call']);
    expect(await store(1).campaigns.get(id)).toBeNull();
    expect(await store(1).campaigns.targets(id, { limit: 10 })).toEqual([]);
  });

  it('gives a dead process’s claim back once its lease ends', async () => {
    const id = newId();
    const target = { id: newId(), customerId: null, conversationId: null, phone: '13900000000' };
    await store(0).campaigns.create(campaign(id), [target]);
    await store(0).campaigns.claimForDial(target.id, t0, '2026-11-26T03:05:00.000Z');
    expect(await store(0).campaigns.releaseStale(id, '2026-11-26T03:04:00.000Z')).toBe(0);
    expect(await store(0).campaigns.releaseStale(id, '2026-11-26T03:05:00.000Z')).toBe(1);
    const [back] = await store(0).campaigns.dueTargets(id, '2026-11-26T03:05:00.000Z', 5);
    expect(back).toMatchObject({ status: 'pending', attempts: 1, lastOutcome: 'failed' });
  });

  it('keeps a do-not-call list per workspace, matching a number however it is written', async () => {
    const entry = {
      id: newId(),
      phone: '+86 138-0000-0009',
      reason: '客户要求',
      addedBy: 'owner',
      createdAt: t0,
    };
    await store(0).campaigns.doNotCall.add(entry);
    const again = await store(0).campaigns.doNotCall.add({ ...entry, id: newId() });
    expect(again.id).toBe(entry.id);
    expect(await store(0).campaigns.doNotCall.contains('13800000009')).toBe(true);
    expect(await store(1).campaigns.doNotCall.contains('13800000009')).toBe(false);
    expect((await store(0).campaigns.doNotCall.list()).map((e) => e.phone)).toEqual(['+86 138-0000-0009']);
    expect(await store(1).campaigns.doNotCall.remove(entry.id)).toBe(false);
    expect(await store(0).campaigns.doNotCall.remove(entry.id)).toBe(true);
    expect(await store(0).campaigns.doNotCall.contains('13800000009')).toBe(false);
  });
});

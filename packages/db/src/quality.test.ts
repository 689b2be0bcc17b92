// The quality repository on both backends: ruleset versions, one result per subject (re-scoring replaces
// it and drops an appeal's adjustment), the filters and pages of the results list, the facts scorecards
// read, reviews queued and completed once, one pending appeal per result, sealed staff text, and every
// row confined to its workspace.
import {
  createIdGenerator,
  defaultQualityRuleset,
  type QualityResult,
  systemClock,
  UniqueViolation,
  type WorkspaceStore,
} from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('quality storage on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const workspaces: string[] = [];
  const store = (i: number): WorkspaceStore => db.forWorkspace(workspaces[i] as string);
  const t0 = '2026-11-26T03:00:00.000Z';

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const slug of ['qa', 'qb']) {
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

  const result = (
    subjectId: string,
    agentId: string | null,
    score: number,
    ruleIds: string[],
    endedAt: string,
  ) => ({
    subject: 'conversation' as const,
    subjectId,
    conversationId: subjectId,
    customerId: 'c1',
    agentId,
    channel: 'widget',
    score,
    violations: ruleIds.map((ruleId) => ({
      ruleId,
      kind: 'forbidden_phrase' as const,
      deducted: 10,
      hits: 1,
    })),
    hits: [
      {
        ruleId: 'x',
        kind: 'forbidden_phrase' as const,
        messageId: 'm1',
        seq: null,
        from: 1,
        to: 1,
        match: [0, 3] as [number, number],
        value: null,
      },
    ],
    rulesetVersion: 1,
    endedAt,
    scoredAt: endedAt,
  });

  it('versions the ruleset, each save adding one', async () => {
    expect(await store(0).quality.rulesets.current()).toBeNull();
    const d = defaultQualityRuleset();
    const v1 = await store(0).quality.rulesets.save({
      rules: d.rules,
      sampling: d.sampling,
      at: t0,
      by: 'u1',
    });
    const v2 = await store(0).quality.rulesets.save({
      rules: d.rules.slice(0, 2),
      sampling: { randomPercent: 0, reviewBelow: 50 },
      at: t0,
      by: 'u2',
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(await store(0).quality.rulesets.current()).toMatchObject({
      version: 2,
      rules: d.rules.slice(0, 2),
      sampling: { randomPercent: 0, reviewBelow: 50 },
      updatedBy: 'u2',
    });
    expect(await store(1).quality.rulesets.current()).toBeNull();
  });

  let first: QualityResult;
  it('keeps one result per subject, replaced when scored again (an adjustment dropped)', async () => {
    const q = store(0).quality.results;
    first = await q.upsert(result('conv-1', 'a1', 70, ['words', 'greeting'], '2026-11-20T08:00:00.000Z'));
    await q.setAdjustedScore(first.id, 95);
    expect(await q.get(first.id)).toMatchObject({ score: 70, adjustedScore: 95 });
    const again = await q.upsert(result('conv-1', 'a1', 80, ['greeting'], '2026-11-21T08:00:00.000Z'));
    expect(again).toMatchObject({
      id: first.id,
      score: 80,
      adjustedScore: null,
      endedAt: '2026-11-21T08:00:00.000Z',
    });
    expect(again.hits[0]).toMatchObject({ messageId: 'm1', match: [0, 3] });
    expect(await q.forSubject('conversation', 'conv-1')).toMatchObject({ id: first.id });
    expect(await store(1).quality.results.get(first.id)).toBeNull();
  });

  it('lists results by agent, score, rule and period, newest first, in pages', async () => {
    const q = store(0).quality.results;
    await q.upsert(result('conv-2', 'a2', 40, ['slow'], '2026-11-22T08:00:00.000Z'));
    const third = await q.upsert(result('conv-3', 'a1', 100, [], '2026-11-23T08:00:00.000Z'));
    await q.setAdjustedScore(third.id, 30);
    const ids = async (f: Parameters<typeof q.list>[0]) => (await q.list(f)).map((r) => r.subjectId);
    expect(await ids({ limit: 10 })).toEqual(['conv-3', 'conv-2', 'conv-1']);
    expect(await ids({ limit: 10, agentId: 'a1' })).toEqual(['conv-3', 'conv-1']);
    // The score that counts: conv-3 was adjusted down to 30.
    expect(await ids({ limit: 10, maxScore: 50 })).toEqual(['conv-3', 'conv-2']);
    expect(await ids({ limit: 10, ruleId: 'greeting' })).toEqual(['conv-1']);
    expect(await ids({ limit: 10, ruleId: 'greet' })).toEqual([]);
    await q.upsert(result('conv-4', 'a2', 90, ['no_greeting'], '2026-11-19T08:00:00.000Z'));
    expect(await ids({ limit: 10, ruleId: 'no_greeting' })).toEqual(['conv-4']);
    expect(await ids({ limit: 10, ruleId: 'no-greeting' })).toEqual([]);
    expect(
      await ids({ limit: 10, from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' }),
    ).toEqual(['conv-2']);
    const page1 = await q.list({ limit: 2 });
    expect(await ids({ limit: 2, before: page1[1]?.id as string })).toEqual(['conv-1', 'conv-4']);
    expect(await store(1).quality.results.list({ limit: 10 })).toEqual([]);
    const facts = await q.facts('2026-11-21T00:00:00.000Z', '2026-11-24T00:00:00.000Z');
    expect(facts.map((f) => [f.agentId, f.score, f.adjustedScore])).toEqual([
      ['a1', 80, null],
      ['a2', 40, null],
      ['a1', 100, 30],
    ]);
    expect(await q.facts('2026-11-21T00:00:00.000Z', '2026-11-24T00:00:00.000Z', 'a2')).toHaveLength(1);
  });

  it('queues a result for review once and records the review once, its comment sealed', async () => {
    const r = store(0).quality.reviews;
    expect(await r.enqueue({ id: newId(), resultId: first.id, reason: 'low_score', createdAt: t0 })).toBe(
      true,
    );
    expect(await r.enqueue({ id: newId(), resultId: first.id, reason: 'random', createdAt: t0 })).toBe(false);
    const [pending] = await r.list({ status: 'pending', limit: 10 });
    expect(pending).toMatchObject({ resultId: first.id, reason: 'low_score', status: 'pending' });
    const done = await r.complete(pending?.id as string, {
      reviewerId: 'u9',
      score: 85,
      comment: '客户张三的问题处理得当',
      at: t0,
    });
    expect(done).toMatchObject({ status: 'done', reviewerScore: 85, comment: '客户张三的问题处理得当' });
    expect(
      await r.complete(pending?.id as string, { reviewerId: 'u9', score: 10, comment: null, at: t0 }),
    ).toBeNull();
    const kysely = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 }).kysely;
    const raw = await sql<{ comment: string }>`select comment from quality_reviews`.execute(kysely);
    await kysely.destroy();
    expect(raw.rows[0]?.comment).not.toContain('张三');
    expect(await store(1).quality.reviews.get(pending?.id as string)).toBeNull();
  });

  it('allows one pending appeal per result and decides it once', async () => {
    const a = store(0).quality.appeals;
    const appeal = await a.create({
      id: newId(),
      resultId: first.id,
      agentId: 'a1',
      reason: '客户先骂人',
      createdAt: t0,
    });
    await expect(
      a.create({ id: newId(), resultId: first.id, agentId: 'a1', reason: 'again', createdAt: t0 }),
    ).rejects.toBeInstanceOf(UniqueViolation);
    expect(await a.pendingFor(first.id)).toMatchObject({ id: appeal.id, reason: '客户先骂人' });
    const decided = await a.decide(appeal.id, {
      status: 'accepted',
      by: 's1',
      at: t0,
      note: '属实',
      adjustedScore: 90,
    });
    expect(decided).toMatchObject({ status: 'accepted', decidedBy: 's1', note: '属实', adjustedScore: 90 });
    expect(
      await a.decide(appeal.id, { status: 'rejected', by: 's1', at: t0, note: null, adjustedScore: null }),
    ).toBeNull();
    expect(await a.pendingFor(first.id)).toBeNull();
    // Decided, the result may be appealed again.
    await a.create({ id: newId(), resultId: first.id, agentId: 'a1', reason: 'more', createdAt: t0 });
    expect((await a.list({ agentId: 'a1', limit: 10 })).map((x) => x.status).sort()).toEqual([
      'accepted',
      'pending',
    ]);
    expect(await a.list({ status: 'pending', agentId: 'a2', limit: 10 })).toEqual([]);
    expect(await store(1).quality.appeals.list({ limit: 10 })).toEqual([]);
  });
});

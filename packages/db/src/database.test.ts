import { createIdGenerator, receiveCustomerMessage, systemClock, type WorkspaceStore } from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('database on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const now = new Date().toISOString();
  const wsA = newId();
  const wsB = newId();
  const inboxA = newId();
  const inboxB = newId();

  beforeAll(async () => {
    tdb = await createTestDatabase(backend, { empty: true });
    db = openDatabase({ url: tdb.url, newId });
    expect(await db.migrate()).toEqual([
      '0001_initial',
      '0002_security',
      '0003_bot',
      '0004_audit_head',
      '0005_knowledge',
      '0006_bot_turns',
      '0007_connectors',
      '0008_message_metadata',
      '0009_setup',
      '0010_privacy',
      '0011_auth',
      '0012_dialogue',
      '0013_conversation_routing',
      '0014_queues',
      '0015_identity',
      '0016_routing',
      '0017_channels',
      '0018_reply_templates',
      '0019_assist',
      '0020_customer_notes',
      '0021_agent_metrics',
      '0022_voice',
      '0023_campaigns',
      '0024_tickets',
      '0025_sla',
      '0026_surveys',
      '0027_scheduler',
      '0028_outreach',
      '0029_outreach_attempts',
      '0030_ticket_field_labels',
      '0031_languages',
      '0032_costs',
      '0033_quality',
      '0035_metric_rollups',
      '0036_review_mail',
      '0037_metric_facts',
      '0038_assist_settings',
      '0039_kpi_targets',
      '0040_waiting_index',
      '0041_inbound_intake',
    ]);
    expect(await db.migrate()).toEqual([]);
    for (const [ws, inbox, slug] of [
      [wsA, inboxA, 'a'],
      [wsB, inboxB, 'b'],
    ] as const) {
      const ok = await db.directory.seedWorkspace({
        workspace: { id: ws, slug, name: slug, locale: 'zh-CN', createdAt: now },
        owner: {
          id: newId(),
          workspaceId: ws,
          email: `${slug}@x.test`,
          name: slug,
          role: 'owner',
          createdAt: now,
          passwordHash: 'x',
        },
        inboxes: [
          {
            id: inbox,
            workspaceId: ws,
            name: 'api',
            channel: 'api',
            widgetToken: null,
            allowedOrigins: [],
            webhookUrl: null,
            webhookSecret: null,
            greeting: null,
            createdAt: now,
          },
        ],
        faqs: [],
      });
      expect(ok).toBe(true);
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const store = (ws: string): WorkspaceStore => db.forWorkspace(ws);
  const deps = (ws: string) => ({ store: store(ws), clock: systemClock, newId });

  it('stores a customer message once per idempotency key, even under concurrency', async () => {
    const input = {
      inboxId: inboxA,
      identity: { kind: 'external' as const, value: 'cust-1' },
      profile: { name: '张三' },
      text: '你好',
      idempotencyKey: 'm-1',
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => receiveCustomerMessage(deps(wsA), input)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    const conv = results[0]!.conversation;
    expect(await store(wsA).messages.list(conv.id, { limit: 50 })).toHaveLength(1);
    const jobs = await db.jobs.list({ name: 'bot.reply' });
    expect(jobs).toHaveLength(1);
  });

  it.runIf(backend === 'postgres')(
    'runs a transaction again when PostgreSQL breaks a deadlock with it, keeping both writers',
    async () => {
      const [one, two] = await Promise.all(
        ['dl-1', 'dl-2'].map((value, i) =>
          receiveCustomerMessage(deps(wsA), {
            inboxId: inboxA,
            identity: { kind: 'external', value },
            text: 'deadlock',
            idempotencyKey: `dl-${i}`,
          }),
        ),
      );
      const a = one!.conversation.id;
      const b = two!.conversation.id;
      // Each writer locks its first row, waits until the other holds its own, then wants the other's row.
      let locked = 0;
      const bothLocked = () =>
        new Promise<void>((resolve) => {
          const check = () => (locked >= 2 ? resolve() : setTimeout(check, 5));
          check();
        });
      let runs = 0;
      const writer = (first: string, second: string, subject: string) =>
        store(wsA).transaction(async (tx) => {
          runs += 1;
          await tx.conversations.update(first, { tags: [subject] });
          locked += 1;
          if (runs <= 2) await bothLocked();
          await tx.conversations.update(second, { tags: [subject] });
        });
      await Promise.all([writer(a, b, 'left'), writer(b, a, 'right')]);
      expect(runs).toBe(3); // one of the two was chosen as the deadlock victim and ran again
      const subjects = [
        (await store(wsA).conversations.get(a))?.tags,
        (await store(wsA).conversations.get(b))?.tags,
      ];
      expect(subjects[0]).toEqual(subjects[1]); // the rerun went second and wrote both rows
    },
  );

  it('never shows one workspace the rows of another', async () => {
    const r = await receiveCustomerMessage(deps(wsA), {
      inboxId: inboxA,
      identity: { kind: 'external', value: 'cust-2' },
      text: 'hi',
      idempotencyKey: 'm-2',
    });
    const b = store(wsB);
    expect(await b.conversations.get(r.conversation.id)).toBeNull();
    expect(await b.conversations.summary(r.conversation.id)).toBeNull();
    expect(await b.messages.get(r.message.id)).toBeNull();
    expect(await b.customers.get(r.conversation.customerId)).toBeNull();
    expect(await b.customers.findByIdentity('external', 'cust-2')).toBeNull();
    expect(await b.inboxes.get(inboxA)).toBeNull();
    expect(await b.conversations.list({ limit: 50 })).toEqual([]);
    await expect(
      receiveCustomerMessage(deps(wsB), {
        inboxId: inboxA,
        identity: { kind: 'external', value: 'x' },
        text: 'hi',
        idempotencyKey: 'm-3',
      }),
    ).rejects.toThrow(/inbox not found/);
  });

  it('claims each due job once and retries failures later', async () => {
    const t0 = new Date(Date.now() + 60_000).toISOString();
    const lease = new Date(Date.now() + 120_000).toISOString();
    const claimed = await db.jobs.claimDue(t0, lease, 100);
    const again = await db.jobs.claimDue(t0, lease, 100);
    expect(claimed.length).toBeGreaterThan(0);
    expect(again).toHaveLength(0);
    const first = claimed[0]!;
    const retryAt = new Date(Date.now() + 90_000).toISOString();
    await db.jobs.fail(first.id, 'boom', t0, retryAt);
    expect(await db.jobs.claimDue(t0, lease, 100)).toHaveLength(0);
    const later = await db.jobs.claimDue(retryAt, lease, 100);
    expect(later.map((j) => j.id)).toContain(first.id);
    expect(later.find((j) => j.id === first.id)?.attempts).toBe(2);
  });
});

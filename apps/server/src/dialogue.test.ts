// The dialogue editor's API on both backends, against the seeded retail shop: the effective dialogue, strict
// validation, versions with a 409 on a concurrent save, restore, the audit entries, and the real effect of
// each save on the very next customer conversation (policy text stated verbatim, a hand-off with the given
// reason, an owner-defined intent answered, the old behaviour back after a restore).
import type { DialogueVersionList, DialogueView, Problem } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import type { AuditRecord } from '@zhike/security';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDialogue } from './bot/templateBot.ts';
import { loadTemplate } from './bot/templateFiles.ts';
import { createApiKey } from './http/apiKeys.ts';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const NEW_POLICY = '本店退款规则（2026 版）：签收 15 天内可申请退款，款项 3 个工作日内原路退回。';

const liveStream = {
  name: 'live_stream',
  examples: ['直播间什么时候开播', '今晚有直播吗', '直播几点开始', '主播什么时候上线'],
  handler: { type: 'reply' as const, text: '每晚 8 点在直播间上新，客服电话 {{shop.phone}}。' },
};

describe.each(testBackends)('dialogue editor on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let apiKey: string;
  const audited: AuditRecord[] = [];
  let seq = 0;
  const asOwner = (options: InjectOptions) =>
    t.app.inject({ ...options, headers: { ...owner.headers, ...options.headers } });

  beforeAll(async () => {
    t = await createTestApp(backend);
    const audit = t.app.zhike.db.audit;
    const record = audit.record.bind(audit);
    audit.record = async (input) => {
      audited.push(input);
      return record(input);
    };
    owner = await t.login();
    const ws = await t.app.zhike.db.directory.workspaceBySlug(t.app.zhike.seed.workspaceSlug);
    if (!ws) throw new Error('no seeded workspace');
    apiKey = (await createApiKey(t.app.zhike, ws.id, 'dialogue test')).secret;
  }, 60_000);
  afterAll(async () => t?.close());

  /** A customer of their own; each line resolves with the texts that followed it once the bot's turn is stored. */
  function customer() {
    const externalId = `dialogue-${++seq}`;
    return async (text: string): Promise<string> => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { customer: { externalId }, text, messageId: `m-${++seq}` },
      });
      expect(res.statusCode).toBe(200);
      const { conversationId, messageId } = res.json() as { conversationId: string; messageId: string };
      return eventually(async () => {
        const all = (
          await t.app.inject({
            url: `/api/v1/conversations/${conversationId}/messages?limit=200`,
            headers: { authorization: `Bearer ${apiKey}` },
          })
        ).json().messages as { id: string; author: string; text: string }[];
        const after = all.slice(all.findIndex((m) => m.id === messageId) + 1);
        return after.length > 0 ? after.map((m) => m.text).join('\n') : undefined;
      }, 30_000);
    };
  }

  const handoffReasons = async (): Promise<Record<string, number>> => {
    const body = (await asOwner({ url: '/api/v1/bot/analytics' })).json() as {
      handoffReasons: { reason: string; count: number }[];
    };
    return Object.fromEntries(body.handoffReasons.map((r) => [r.reason, r.count]));
  };

  const dialogue = async () => (await asOwner({ url: '/api/v1/bot/dialogue' })).json() as DialogueView;

  const put = (payload: object) => asOwner({ method: 'PUT', url: '/api/v1/bot/dialogue', payload });

  it('shows the template as it runs, version 0, every intent and form marked as the template’s', async () => {
    const view = await dialogue();
    expect(view).toMatchObject({ templateId: 'retail', locale: 'zh-CN', version: 0, overrides: {} });
    expect(view.intents.find((i) => i.name === 'order_status')).toMatchObject({
      origin: 'template',
      enabled: true,
      handler: { type: 'action', action: 'order.lookup' },
    });
    expect(view.forms.map((f) => f.id)).toEqual(['refund', 'return', 'exchange']);
    expect(view.actionPlaceholders['order.lookup']).toContain('order.status');
    expect(view.variables).toContain('policy.refund');
    expect((await asOwner({ url: '/api/v1/bot/dialogue/versions' })).json()).toEqual({ versions: [] });
  });

  it('refuses invalid overrides with the field at fault, and malformed bodies without a 500', async () => {
    const res = await put({
      baseVersion: 0,
      overrides: {
        intents: {
          order_status: { handler: { type: 'action', action: 'order.lookup', reply: '{{order.price}}' } },
        },
        customIntents: [
          { name: 'tiny', examples: ['一', '二'], handler: { type: 'form', form: 'warranty' } },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = (res.json() as Problem).errors?.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body/overrides/intents/order_status/handler/reply',
        'body/overrides/customIntents/0/examples',
        'body/overrides/customIntents/0/handler/form',
      ]),
    );
    for (const payload of [
      { baseVersion: 0, overrides: { intents: { order_status: { handler: { type: 'teleport' } } } } },
      { baseVersion: -1, overrides: {} },
      { baseVersion: 0, overrides: { forms: { refund: { policy: 42 } } } },
      { overrides: {} },
    ]) {
      const bad = await put(payload);
      expect(bad.statusCode).toBe(400);
    }
    const garbled = await asOwner({
      method: 'PUT',
      url: '/api/v1/bot/dialogue',
      headers: { 'content-type': 'application/json' },
      payload: '{"baseVersion": 0, "overrides": {',
    });
    expect(garbled.statusCode).toBe(400);
    expect((await dialogue()).version).toBe(0);
  });

  it('a new refund policy text is stated verbatim in the next refund conversation', async () => {
    const res = await put({ baseVersion: 0, overrides: { forms: { refund: { policy: NEW_POLICY } } } });
    expect(res.statusCode).toBe(200);
    const view = res.json() as DialogueView;
    expect(view.version).toBe(1);
    expect(view.forms.find((f) => f.id === 'refund')).toMatchObject({
      origin: 'overridden',
      policy: NEW_POLICY,
    });

    const say = customer();
    await say('我要退款');
    await say('ZK20261125003');
    await say('尺码太小了');
    const policy = await say('跳过');
    expect(policy).toContain(NEW_POLICY);
    expect(policy).not.toContain('七天无理由');
  }, 60_000);

  it('refuses a save based on a version that is no longer current (409), changing nothing', async () => {
    const stale = await put({ baseVersion: 0, overrides: {} });
    expect(stale.statusCode).toBe(409);
    const view = await dialogue();
    expect(view.version).toBe(1);
    expect(view.overrides).toEqual({ forms: { refund: { policy: NEW_POLICY } } });
  });

  it('of two concurrent saves from the same version exactly one wins', async () => {
    const base = (await dialogue()).version;
    const overrides = (await dialogue()).overrides;
    const results = await Promise.all([
      put({ baseVersion: base, overrides }),
      put({ baseVersion: base, overrides }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await dialogue()).version).toBe(base + 1);
  });

  it('an order intent switched to hand-off hands off with its reason; a custom intent is answered', async () => {
    const current = await dialogue();
    const res = await put({
      baseVersion: current.version,
      overrides: {
        ...current.overrides,
        intents: { order_status: { handler: { type: 'handoff', reason: 'order_desk', priority: 'high' } } },
        customIntents: [liveStream],
      },
    });
    expect(res.statusCode).toBe(200);
    const view = res.json() as DialogueView;
    expect(view.intents.find((i) => i.name === 'live_stream')).toMatchObject({
      origin: 'custom',
      enabled: true,
    });
    expect(view.intents.find((i) => i.name === 'order_status')).toMatchObject({
      origin: 'overridden',
      handler: { type: 'handoff', reason: 'order_desk' },
    });

    const before = (await handoffReasons()).order_desk ?? 0;
    await customer()('我的订单到哪了');
    expect((await handoffReasons()).order_desk).toBe(before + 1);
    expect(await customer()('今晚有直播吗')).toContain('每晚 8 点在直播间上新，客服电话');
  }, 60_000);

  it('lists the versions and restoring the first brings its behaviour back', async () => {
    const { versions } = (
      await asOwner({ url: '/api/v1/bot/dialogue/versions' })
    ).json() as DialogueVersionList;
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions.every((v) => v.authorUserId === owner.info.user.id)).toBe(true);

    expect(new Set(versions.map((v) => v.id)).size).toBe(3);
    const restore = (id: string) =>
      asOwner({ method: 'POST', url: `/api/v1/bot/dialogue/versions/${id}/restore` });
    expect((await restore('019ab1c2-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await restore('1')).statusCode).toBe(400);
    const res = await restore(versions.find((v) => v.version === 1)?.id ?? '');
    expect(res.statusCode).toBe(200);
    const view = res.json() as DialogueView;
    expect(view.version).toBe(4);
    expect(view.overrides).toEqual({ forms: { refund: { policy: NEW_POLICY } } });
    expect(view.intents.some((i) => i.name === 'live_stream')).toBe(false);
    const latest = ((await asOwner({ url: '/api/v1/bot/dialogue/versions' })).json() as DialogueVersionList)
      .versions[0];
    expect(latest).toMatchObject({ version: 4, restoredFrom: 1 });

    const before = (await handoffReasons()).order_desk ?? 0;
    const asked = await customer()('我的订单到哪了');
    expect(asked).toContain('订单号');
    expect((await handoffReasons()).order_desk ?? 0).toBe(before);
    expect(await customer()('今晚有直播吗')).not.toContain('每晚 8 点在直播间上新');
  }, 60_000);

  it('audits every save and restore as a settings change of the dialogue', async () => {
    const entries = audited.filter(
      (a) => a.action === 'settings.changed' && a.details?.setting === 'dialogue',
    );
    expect(entries.map((a) => a.details?.version)).toEqual([1, 2, 3, 4]);
    expect(entries.at(-1)?.details).toMatchObject({ restoredFrom: 1, changedForms: 'refund' });
    expect(entries.every((a) => a.actor.type === 'user')).toBe(true);
  });

  it('is for those who manage the bot only', async () => {
    expect((await t.app.inject({ url: '/api/v1/bot/dialogue' })).statusCode).toBe(401);
    const viaKey = await t.app.inject({
      url: '/api/v1/bot/dialogue',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect([401, 403]).toContain(viaKey.statusCode);
  });
});

describe('overrides meet the template they were written for only', () => {
  const templates = new URL('../../../templates', import.meta.url).pathname;
  const document = { forms: { refund: { policy: NEW_POLICY } } };
  const policyOf = (t: { forms?: { id: string; policy?: string }[] }) =>
    t.forms?.find((f) => f.id === 'refund')?.policy;

  it('applies them to that template and locale, and leaves any other (or a changed one) as it is', async () => {
    const retail = await loadTemplate(templates, 'retail', 'zh-CN');
    const written = { templateId: 'retail', locale: 'zh-CN', document };
    expect(policyOf(withDialogue(retail, written, 'retail', 'zh-CN'))).toBe(NEW_POLICY);
    // The owner switched to another industry or language since: its own template runs.
    expect(withDialogue(retail, { ...written, templateId: 'catering' }, 'retail', 'zh-CN')).toBe(retail);
    expect(withDialogue(retail, { ...written, locale: 'en-US' }, 'retail', 'zh-CN')).toBe(retail);
    // A template whose refund form went away: the overrides no longer fit and the bot keeps working.
    const changed = { ...retail, forms: retail.forms?.filter((f) => f.id !== 'refund') };
    expect(withDialogue(changed, written, 'retail', 'zh-CN')).toBe(changed);
    expect(withDialogue(retail, null, 'retail', 'zh-CN')).toBe(retail);
  });
});

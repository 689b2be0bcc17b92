// The contract every provider channel adapter passes, run through the real app (createApp, inject, the
// durable job worker) against the adapter's own fake provider: a badly signed request gets 401 and
// stores nothing; the same inbound twice is one message; an inbound message is stored and the bot's
// reply goes out through adapter.send and is recorded as sent; a delivery report marks it delivered; a
// provider failure is retried, then delivered. Each adapter's test calls runChannelContract(fixture).
import type { ChannelAdapter } from '@zhike/channels';
import { type Backend, testBackends } from '@zhike/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestSession } from '../../apps/server/src/testing.ts';
import { diffRows, workspaceRows } from './tenancy/snapshot.ts';

/** Where a channel inbox's hook is: the public base URL the provider signs, and the path the app sees. */
export interface HookTarget {
  publicUrl: string;
  /** `/hooks/<hookId>` */
  path: string;
}

/** A request the fake provider would send to the hook (the URL is path + query, as `inject` takes it). */
export interface HookRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

export interface ContractMessage {
  providerMessageId: string;
  text: string;
}

export interface ContractProvider {
  /** The inbox config (settings and secrets) that points the adapter at this fake provider. */
  config: Record<string, string | number | boolean>;
  /** Host the SSRF guard must let the adapter reach (ZHIKE_CHANNEL_ALLOW_HOSTS), e.g. 127.0.0.1. */
  allowHost: string;
  /** A validly signed request carrying one customer message from the fixture's customer. */
  inboundMessage(hook: HookTarget, message: ContractMessage): HookRequest | Promise<HookRequest>;
  /** The same request with a wrong signature (or none). */
  badlySigned(hook: HookTarget, message: ContractMessage): HookRequest | Promise<HookRequest>;
  /**
   * The provider message id the adapter derives for this message, when the vendor's payload cannot carry
   * the contract's id as is (Alibaba Cloud numbers replies; Tencent Cloud's carry no id at all).
   */
  storedMessageId?(message: ContractMessage): string;
  /** A signed report that the provider delivered the message it gave this id (absent: no reports). */
  deliveredReport?(hook: HookTarget, providerMessageId: string): HookRequest | Promise<HookRequest>;
  /** Provider message ids the fake provider accepted through its send API, oldest first. */
  sentIds(): string[] | Promise<string[]>;
  /**
   * False when the provider's send API answers with no message id (WeChat's customer-service API): the
   * adapter then names the send itself, and only the number of accepted sends is compared.
   */
  returnsMessageIds?: boolean;
  /** The next `n` sends fail in a way worth retrying (a 5xx, a dropped connection). */
  failNextSends(n: number): void;
  close(): Promise<void>;
}

export interface ChannelContractFixture {
  /** Registry id of the adapter under test. */
  adapterId: string;
  /** Adapters to register besides the production registry's (only the in-repo fake needs this). */
  // biome-ignore lint/suspicious/noExplicitAny: adapters have their own config types
  extraAdapters?: ChannelAdapter<any>[];
  startProvider(): Promise<ContractProvider>;
  /** Backends to run on (default both). */
  backends?: Backend[];
}

const PUBLIC_URL = 'https://zhike.contract.test';

/** A clock the contract moves forward to reach retries and the passive-reply window. */
function steppedClock() {
  let offset = 0;
  return {
    clock: { now: () => new Date(Date.now() + offset) },
    advance(ms: number) {
      offset += ms;
    },
  };
}

export function runChannelContract(fixture: ChannelContractFixture): void {
  describe.each(fixture.backends ?? testBackends)(
    `channel contract: ${fixture.adapterId} on %s`,
    (backend) => {
      let t: TestApp;
      let provider: ContractProvider;
      let owner: TestSession;
      let workspaceId: string;
      let inboxId: string;
      let hook: HookTarget;
      let seq = 0;
      const time = steppedClock();
      const nextMessage = (text: string): ContractMessage => ({
        providerMessageId: `contract-${Date.now().toString(36)}-${++seq}`,
        text,
      });

      const send = (request: HookRequest) =>
        t.app.inject({
          method: request.method,
          url: request.url,
          headers: request.headers,
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        });

      /** Runs every due job until none is left (the worker is not started: the contract drives it). */
      const drain = async () => {
        for (let round = 0; round < 50; round++) if ((await t.app.zhike.worker.runDue()) === 0) return;
        throw new Error('jobs kept coming');
      };
      /** Past the passive-reply window and any first retry: what a few seconds of real time would do. */
      const later = async (ms: number) => {
        time.advance(ms);
        await drain();
      };

      const messagesOf = async (conversationId: string) => {
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/v1/conversations/${conversationId}/messages?limit=100`,
          headers: owner.headers,
        });
        expect(res.statusCode).toBe(200);
        return (
          res.json() as {
            messages: {
              id: string;
              author: string;
              text: string;
              delivery?: { status: string; error: string | null };
            }[];
          }
        ).messages;
      };

      /** The non-customer messages after the customer's message with this text (one conversation holds all). */
      const repliesTo = async (conversationId: string, text: string) => {
        const all = await messagesOf(conversationId);
        const at = all.findLastIndex((m) => m.author === 'customer' && m.text === text);
        return all.slice(at + 1).filter((m) => m.author !== 'customer');
      };

      const conversationOf = async (message: ContractMessage) => {
        const key = `${fixture.adapterId}:${provider.storedMessageId?.(message) ?? message.providerMessageId}`;
        const stored = await t.app.zhike.db
          .forWorkspace(workspaceId)
          .messages.findByIdempotencyKey(inboxId, key);
        return stored?.conversationId ?? null;
      };

      beforeAll(async () => {
        provider = await fixture.startProvider();
        t = await createTestApp(backend, {
          startWorker: false,
          clock: time.clock,
          passiveReplyWaitMs: 300,
          ...(fixture.extraAdapters ? { channelAdapters: fixture.extraAdapters } : {}),
          env: { ZHIKE_CHANNEL_ALLOW_HOSTS: provider.allowHost, ZHIKE_PUBLIC_URL: PUBLIC_URL },
        });
        owner = await t.login();
        workspaceId = await t.demoWorkspaceId();
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/v1/inboxes',
          headers: owner.headers,
          payload: {
            name: `contract ${fixture.adapterId}`,
            adapter: fixture.adapterId,
            config: provider.config,
          },
        });
        expect(created.statusCode, created.body).toBe(201);
        const inbox = created.json() as { id: string; hookUrl: string; secretsSet: string[] };
        inboxId = inbox.id;
        hook = { publicUrl: PUBLIC_URL, path: new URL(inbox.hookUrl).pathname };
      }, 60_000);
      afterAll(async () => {
        await t?.close();
        await provider?.close();
      });

      it('shows the hook URL and which secrets are set, never their values', async () => {
        const adapter = t.app.zhike.channels.get(fixture.adapterId);
        expect(adapter).not.toBeNull();
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/inboxes', headers: owner.headers });
        const inbox = (
          res.json() as { inboxes: { id: string; hookUrl: string | null; secretsSet: string[] }[] }
        ).inboxes.find((i) => i.id === inboxId);
        expect(inbox?.hookUrl).toMatch(new RegExp(`^${PUBLIC_URL}/hooks/[A-Za-z0-9_-]{16,}$`));
        const secrets = (adapter?.secretFields ?? []).filter((f) => provider.config[f] !== undefined);
        expect(inbox?.secretsSet).toEqual([...secrets].sort());
        for (const field of secrets) expect(res.body).not.toContain(String(provider.config[field]));
      });

      it('refuses a badly signed request with 401 and stores nothing', async () => {
        const before = await workspaceRows(backend, t.database.url, workspaceId);
        const message = nextMessage('伪造的消息 forged');
        const res = await send(await provider.badlySigned(hook, message));
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        await drain();
        expect(diffRows(before, await workspaceRows(backend, t.database.url, workspaceId))).toEqual([]);
        expect(await conversationOf(message)).toBeNull();
      });

      it('stores a message delivered twice once', async () => {
        const message = nextMessage('你好，我想问一下发货时间');
        const first = await send(await provider.inboundMessage(hook, message));
        expect(first.statusCode, first.body).toBeLessThan(300);
        const again = await send(await provider.inboundMessage(hook, message));
        expect(again.statusCode, again.body).toBeLessThan(300);
        const conversationId = await conversationOf(message);
        expect(conversationId).not.toBeNull();
        const customerMessages = (await messagesOf(conversationId ?? '')).filter(
          (m) => m.author === 'customer' && m.text.includes('发货时间'),
        );
        expect(customerMessages).toHaveLength(1);
        await later(6_000);
      });

      it('sends the bot’s reply through the provider and records it as sent', async () => {
        const sentBefore = (await provider.sentIds()).length;
        const message = nextMessage('你好');
        const res = await send(await provider.inboundMessage(hook, message));
        expect(res.statusCode, res.body).toBeLessThan(300);
        await drain();
        await later(6_000);
        const conversationId = (await conversationOf(message)) ?? '';
        const replies = await repliesTo(conversationId, message.text);
        expect(replies.length).toBeGreaterThan(0);
        expect(replies.map((m) => m.delivery?.status)).toEqual(replies.map(() => 'sent'));
        const sent = await provider.sentIds();
        expect(sent.length).toBeGreaterThan(sentBefore);
        const deliveries = await t.app.zhike.db
          .forWorkspace(workspaceId)
          .channels.deliveries.forMessages(replies.map((r) => r.id));
        const providerIds = [...deliveries.values()].flat().map((d) => d.providerMessageId);
        if (provider.returnsMessageIds !== false) for (const id of providerIds) expect(sent).toContain(id);
      });

      it('marks a reply delivered when the provider reports it', async () => {
        if (!provider.deliveredReport) return;
        const message = nextMessage('在吗');
        await send(await provider.inboundMessage(hook, message));
        await drain();
        await later(6_000);
        const conversationId = (await conversationOf(message)) ?? '';
        const reply = (await repliesTo(conversationId, message.text)).at(-1);
        const delivery = (
          await t.app.zhike.db.forWorkspace(workspaceId).channels.deliveries.forMessages([reply?.id ?? ''])
        ).get(reply?.id ?? '')?.[0];
        expect(delivery?.providerMessageId).toBeTruthy();
        const report = await send(await provider.deliveredReport(hook, delivery?.providerMessageId ?? ''));
        expect(report.statusCode, report.body).toBeLessThan(300);
        const after = (await messagesOf(conversationId)).find((m) => m.id === reply?.id);
        expect(after?.delivery?.status).toBe('delivered');
      });

      it('retries a send the provider failed, then delivers it', async () => {
        provider.failNextSends(1);
        const message = nextMessage('请问有优惠券吗');
        await send(await provider.inboundMessage(hook, message));
        await drain();
        // A passive-reply channel sends after its window; a retry comes ≥ 2 s after the failure.
        if (t.app.zhike.channels.get(fixture.adapterId)?.capabilities.passiveReply) await later(5_500);
        const conversationId = (await conversationOf(message)) ?? '';
        const waiting = await repliesTo(conversationId, message.text);
        expect(waiting.length).toBeGreaterThan(0);
        // The first try failed: queued with the provider's reason, waiting for the retry.
        expect(waiting.some((m) => m.delivery?.status === 'queued' && m.delivery.error)).toBe(true);
        await later(30_000);
        const replies = await repliesTo(conversationId, message.text);
        expect(replies.map((m) => m.delivery?.status)).toEqual(replies.map(() => 'sent'));
      });
    },
  );
}

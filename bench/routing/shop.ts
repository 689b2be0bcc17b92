// The demo retail shop as the routing benches replay against it: a real app on SQLite seeds the shop, its
// template bot compiles and seeds the routing rules, and `route` runs one labelled first message through
// the bot's turn and the rules, the way the server routes a new conversation.
import type { BotPorts, CompiledBot } from '@zhike/bot';
import {
  type BotSettings,
  customerTier,
  decideRouting,
  type RoutingPolicy,
  routingFacts,
  type StoredCustomerProfile,
  type TierSettings,
  type WorkspaceStore,
} from '@zhike/core';
import { decisionOf } from '../../apps/server/src/bot/templateBot.ts';
import { createTestApp, type TestApp } from '../../apps/server/src/testing.ts';
import type { ReplayLine } from './replay.ts';
import type { Band } from './simulate.ts';

export interface Routed {
  target: string;
  band: Band;
}

export interface BenchShop {
  app: TestApp;
  workspaceId: string;
  store: WorkspaceStore;
  settings: BotSettings;
  /** The shop's compiled bot, as the server would answer with it. */
  bot: CompiledBot;
  policy: RoutingPolicy;
  tiers: TierSettings;
  /** The queue's template key (general, complaints, vip) for a decision's queue id. */
  queueKey(queueId: string | null): string;
  /** The clock every replayed message arrives at (a weekday within business hours). */
  now: Date;
  profileOf(line: ReplayLine): StoredCustomerProfile;
  /** One first message through `bot` (the shop's own unless given) and the rules. */
  route(line: ReplayLine, profile: StoredCustomerProfile, bot?: CompiledBot): Promise<Routed>;
}

const ports: BotPorts = {
  lookupOrder: async () => null,
  lookupTickets: async () => ({ tickets: [], more: 0, timeZone: 'Asia/Shanghai' }),
  createTicket: async () => ({ number: 'T-0001' }),
  createCallback: async () => ({ number: 'C-0001' }),
};

/** The replay customer as the product stores them: spend in fen, tier computed by the workspace settings. */
function profileOf(line: ReplayLine, tiers: TierSettings): StoredCustomerProfile {
  const profile = {
    memberLevel: line.customer.memberLevel,
    lifetimeSpendFen: Math.round(line.customer.lifetimeSpend * 100),
    orderCount: line.customer.orderCount,
    tags: line.customer.tags,
  };
  return { ...profile, tier: customerTier(profile, tiers), updatedAt: null };
}

export async function openBenchShop(): Promise<BenchShop> {
  const app = await createTestApp('sqlite');
  const ctx = app.app.zhike;
  const workspaceId = await app.demoWorkspaceId();
  const store = ctx.db.forWorkspace(workspaceId);
  const settings = await store.botSettings.get();
  if (!settings) throw new Error('the demo shop has no bot settings');
  // The first preview compiles the demo bot and seeds the template's knowledge base and routing rules.
  const preview = await ctx.bot.preview(workspaceId, 'zh-CN', '你好');
  if (!preview) throw new Error('no demo bot');
  const policy: RoutingPolicy = { rules: await store.routing.listRules(), defaultQueueId: null };
  if (policy.rules.length === 0) throw new Error('no routing rules were seeded');
  const tiers = (await store.routing.settings()).tiers;
  // Decisions name queues by id; the labels by the template's keys.
  const keys = new Map((await store.queues.list()).map((q) => [q.id, q.key]));
  const queueKey = (queueId: string | null) => (queueId ? (keys.get(queueId) ?? queueId) : 'general');
  const now = new Date('2026-11-25T06:00:00Z');
  const shopBot = preview.bot;
  return {
    app,
    workspaceId,
    store,
    settings,
    bot: shopBot,
    policy,
    tiers,
    queueKey,
    now,
    profileOf: (line) => profileOf(line, tiers),
    async route(line, profile, bot = shopBot) {
      const result = await bot.turn(
        null,
        { text: line.text, now, customer: { id: 'bench' }, businessHours: settings.businessHours },
        ports,
      );
      const decision = decisionOf(bot, result, true);
      const { record } = decideRouting(
        policy,
        routingFacts(decision, { channel: line.channel, profile, tiers }),
        now.toISOString(),
      );
      return { target: record.target === 'bot' ? 'bot' : queueKey(record.queueId), band: record.priority };
    },
  };
}

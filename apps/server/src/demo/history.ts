// A realistic history for demos, screenshots and benchmarks (`zhike demo seed --months 3`): days of
// customer conversations driven through the real commands, bot and job worker on a simulated clock, so
// every table, event, rollup and KPI is what the product would have recorded. Customers ask the retail
// template's questions (its FAQ paraphrases and intent examples — training text, never a test split) on
// the web chat and the API channel; some come back; the bot answers or hands off; agents pick up after a
// wait with a long tail, reply and resolve; a share of customers rate the conversation. Deterministic for
// a seed.
import { readFileSync } from 'node:fs';
import { type ConversationStatus, rolePermissions } from '@zhike/core';
import { hashPassword } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';

export interface SimulatedClock {
  now(): Date;
  set(at: number): void;
}

export function simulatedClock(start: number): SimulatedClock {
  let at = start;
  return {
    now: () => new Date(at),
    set(next: number) {
      at = next;
    },
  };
}

export interface HistoryOptions {
  workspaceId: string;
  /** The first simulated day starts this many days before `end`. */
  days: number;
  /** Conversations per day on average (weekends have fewer, Mondays more). */
  perDay: number;
  /** When the history ends (usually now). */
  end: Date;
  seed?: number;
  /** Called after each simulated day. */
  onDay?: (day: string, conversations: number) => void;
}

export interface HistorySummary {
  conversations: number;
  messages: number;
  handedOff: number;
  resolved: number;
  rated: number;
  agents: number;
}

interface Template {
  faqs: { question: string; similar: string[] }[];
  intents: { name: string; examples: string[] }[];
  outOfScope: string[];
}

const template = (): Template =>
  JSON.parse(readFileSync(new URL('../../../../templates/retail/zh-CN.json', import.meta.url), 'utf8'));

/** mulberry32: a small, fast, seedable generator (public-domain algorithm). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const AGENTS = [
  { email: 'agent.li@demo.zhike', name: '李晓', password: 'demo-agent-password-1' },
  { email: 'agent.wang@demo.zhike', name: '王芳', password: 'demo-agent-password-2' },
  { email: 'agent.zhao@demo.zhike', name: '赵强', password: 'demo-agent-password-3' },
];
const AGENT_REPLIES = [
  '您好，我是人工客服，这就帮您查一下。',
  '您好，已经看到您的问题了，请稍等，我马上处理。',
  '您好，抱歉让您久等了，我来帮您跟进。',
];
const AGENT_CLOSINGS = ['已经为您处理好了，还有其他可以帮您的吗？', '问题已登记并处理，请留意短信通知。'];
const SECOND_QUESTIONS = ['好的谢谢', '那运费怎么算', '可以开发票吗', '谢谢，没有别的问题了'];

export async function generateHistory(
  ctx: AppContext,
  clock: SimulatedClock,
  options: HistoryOptions,
): Promise<HistorySummary> {
  const rand = random(options.seed ?? 20261125);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const between = (min: number, max: number) => min + rand() * (max - min);
  /** A wait with a long tail: mostly near `typical`, sometimes several times longer. */
  const tail = (typical: number) => typical * -Math.log(1 - rand() * 0.98);
  const { workspaceId } = options;
  const store = ctx.db.forWorkspace(workspaceId);
  const t = template();
  const questions = [
    ...t.faqs.flatMap((f) => [f.question, ...f.similar.filter((q) => /\p{Script=Han}/u.test(q))]),
    ...t.intents
      .filter((i) => !['greeting', 'thanks', 'goodbye'].includes(i.name))
      .flatMap((i) => i.examples.filter((q) => /\p{Script=Han}/u.test(q))),
  ];
  const inboxes = (await store.inboxes.list()).filter((i) => i.channel === 'widget' || i.channel === 'api');
  if (inboxes.length === 0) throw new Error('the workspace has no web chat or API inbox');

  // Three agents (created once) who take the conversations handed to people.
  const agentIds: string[] = [];
  const users = await store.users.list();
  for (const a of AGENTS) {
    const existing = users.find((u) => u.email === a.email);
    if (existing) {
      agentIds.push(existing.id);
      continue;
    }
    const id = ctx.newId();
    await ctx.db.directory.addUser({
      id,
      workspaceId,
      email: a.email,
      name: a.name,
      role: 'agent',
      createdAt: new Date(options.end.getTime() - options.days * 86_400_000).toISOString(),
      passwordHash: await hashPassword(a.password),
    });
    agentIds.push(id);
  }
  const owner = users.find((u) => u.role === 'owner');
  const actor = { userId: owner?.id ?? agentIds[0] ?? '', permissions: rolePermissions.owner };

  const drain = async () => {
    for (let round = 0; round < 100; round++) if ((await ctx.worker.runDue()) === 0) return;
  };
  const summary: HistorySummary = {
    conversations: 0,
    messages: 0,
    handedOff: 0,
    resolved: 0,
    rated: 0,
    agents: agentIds.length,
  };
  const customers = Math.max(10, Math.round((options.days * options.perDay) / 2.5));
  let now = options.end.getTime() - options.days * 86_400_000;
  const advance = (seconds: number) => {
    now += Math.round(seconds * 1000);
    clock.set(now);
  };
  const setStatus = (conversationId: string, status: ConversationStatus) =>
    ctx.commands.changeConversationStatus(workspaceId, { conversationId, status });

  for (let d = options.days; d > 0; d--) {
    const dayStart = options.end.getTime() - d * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    const load = weekday === 0 || weekday === 6 ? 0.6 : weekday === 1 ? 1.3 : 1;
    const count = Math.max(1, Math.round(options.perDay * load * between(0.8, 1.2)));
    // Opening hours 09:00–22:00 in Shanghai (01:00–14:00 UTC), busiest around noon and evening.
    const starts = Array.from({ length: count }, () => dayStart + 3_600_000 * (1 + 13 * rand()))
      .map((at) => Math.floor(at))
      .sort((a, b) => a - b);
    for (const start of starts) {
      now = Math.max(now + 1000, start);
      clock.set(now);
      const n = Math.floor(rand() * customers);
      const inbox = n % 3 === 0 ? (inboxes.find((i) => i.channel === 'api') ?? inboxes[0]) : inboxes[0];
      if (!inbox) continue;
      const identity =
        inbox.channel === 'api'
          ? { kind: 'external' as const, value: `demo-customer-${n}`, verified: true }
          : { kind: 'visitor' as const, value: `demo-visitor-${n}`, verified: true };
      const roll = rand();
      const text = roll < 0.07 ? pick(t.outOfScope) : roll < 0.12 ? '转人工' : pick(questions);
      const received = await ctx.commands.receiveCustomerMessage(workspaceId, {
        inboxId: inbox.id,
        identity,
        profile: { name: `顾客${n}` },
        text,
        idempotencyKey: `demo-history:${start}:${n}`,
      });
      const conversationId = received.conversation.id;
      // A customer who left a conversation open continues it.
      if (received.events.some((e) => e.name === 'conversation.created')) summary.conversations++;
      summary.messages++;
      advance(between(0.4, 2.5)); // the bot thinks
      await drain();
      let conversation = await store.conversations.get(conversationId);
      if (!conversation) continue;
      let human = false;
      if (!conversation.handedOff && rand() < 0.45) {
        advance(between(8, 60));
        await ctx.commands.receiveCustomerMessage(workspaceId, {
          inboxId: inbox.id,
          identity,
          text: pick(SECOND_QUESTIONS),
          idempotencyKey: `demo-history:${start}:${n}:2`,
        });
        summary.messages++;
        advance(between(0.4, 2));
        await drain();
        conversation = await store.conversations.get(conversationId);
        if (!conversation) continue;
      }
      if (conversation.handedOff) {
        human = true;
        summary.handedOff++;
        const agent = pick(agentIds);
        advance(tail(25)); // waiting for a person
        await ctx.commands.assignConversation(workspaceId, { conversationId, assigneeId: agent, actor });
        advance(between(4, 40));
        await ctx.commands.replyAsAgent(workspaceId, {
          conversationId,
          agentId: agent,
          text: pick(AGENT_REPLIES),
        });
        advance(tail(240));
        await ctx.commands.replyAsAgent(workspaceId, {
          conversationId,
          agentId: agent,
          text: pick(AGENT_CLOSINGS),
        });
        summary.messages += 2;
        advance(between(20, 120));
      } else advance(between(30, 180));
      // Most conversations end resolved; some customers just leave (the conversation stays open).
      if (human || rand() < 0.8) {
        await setStatus(conversationId, 'resolved');
        summary.resolved++;
        if (rand() < 0.3) {
          const score = human ? pick([5, 5, 5, 4, 4, 4, 3, 2]) : pick([5, 5, 4, 4, 4, 3, 3, 1]);
          await ctx.commands.rateConversation(workspaceId, { conversationId, score });
          summary.rated++;
        }
      }
      await drain();
    }
    options.onDay?.(new Date(dayStart).toISOString().slice(0, 10), count);
  }
  return summary;
}

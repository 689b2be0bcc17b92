// The demo shop's past: a few resolved, rated conversations in which the owner answered the questions
// shoppers ask most, so reply suggestions have history to learn from right after `npm start`. Fixed
// content, stored through the repositories like real conversations (text sealed with each customer's key).
import type { WorkspaceStore } from '@zhike/core';

interface DemoConversation {
  name: string | null;
  csat: number | null;
  daysAgo: number;
  turns: [customer: string, agent: string][];
}

export const DEMO_HISTORY: readonly DemoConversation[] = [
  {
    name: '王芳',
    csat: 5,
    daysAgo: 12,
    turns: [
      [
        '退款多久能到账',
        '您好，退款审核通过后原路退回，微信和支付宝一般即时到账，银行卡 3–5 个工作日，请您留意。',
      ],
      ['好的谢谢', '不客气，祝您生活愉快～'],
    ],
  },
  {
    name: null,
    csat: 5,
    daysAgo: 10,
    turns: [
      [
        '我申请的退款什么时候到',
        '亲，退款审核通过后原路退回，微信支付宝即时到账，银行卡需要 3–5 个工作日哦。',
      ],
    ],
  },
  {
    name: '李强',
    csat: 4,
    daysAgo: 9,
    turns: [['今天下单什么时候发货', '您好，每天 16:00 前付款的订单当天发货，16:00 后的第二天发出。']],
  },
  {
    name: null,
    csat: 5,
    daysAgo: 8,
    turns: [
      ['我的快递到哪了', '您好，麻烦提供一下订单号，我帮您查一下物流。'],
      ['ZK20260001003', '查到了，您的包裹已经到达本地派送站，今天会派送，请保持电话畅通。'],
    ],
  },
  {
    name: '赵敏',
    csat: 5,
    daysAgo: 7,
    turns: [
      [
        '尺码买大了能换小一码吗',
        '可以换的，签收 7 天内未穿着、吊牌完好就可以换尺码。在订单页点「申请售后」选择换货，我们收到后 24 小时内寄出新的。',
      ],
    ],
  },
  {
    name: null,
    csat: null,
    daysAgo: 6,
    turns: [['运费多少钱', '满 99 元包邮，不满的话运费 8 元；新疆、西藏、青海需要补运费 20 元。']],
  },
  {
    name: '陈晨',
    csat: 5,
    daysAgo: 5,
    turns: [
      ['收到的杯子碎了', '非常抱歉！麻烦拍一下商品破损的照片和外包装发给我，我这边马上给您补发或者退款。'],
    ],
  },
  {
    name: null,
    csat: 4,
    daysAgo: 4,
    turns: [
      ['能开发票吗', '可以开的，请把抬头、税号和接收邮箱发给我，确认收货后 3 个工作日内开好发到邮箱。'],
    ],
  },
  {
    name: '刘洋',
    csat: 5,
    daysAgo: 3,
    turns: [['怎么还没发货，我都等两天了', '非常抱歉让您久等了，我这边帮您催一下仓库，今天之内安排发出。']],
  },
  {
    name: null,
    csat: 2,
    daysAgo: 2,
    // Rated poorly: kept out of the suggestions, as a shop's own history would have such replies too.
    turns: [['退款怎么这么慢', '系统问题，您再等等吧']],
  },
];

/** One past conversation as history: a customer, their questions and the agent's answers, its outcome. */
export interface PastConversation {
  /** The customer's external id in the API inbox. */
  externalId: string;
  name: string | null;
  turns: readonly (readonly [customer: string, agent: string])[];
  csat: number | null;
  /** Reopened after it was resolved (its replies count as unproven). */
  reopened?: boolean;
}

/**
 * Stores a resolved conversation answered by `agentId` through the repositories, like a real one (text
 * sealed with the customer's key), each step one `at()` later. The demo seed and the assist bench use it.
 */
export async function writePastConversation(
  store: WorkspaceStore,
  deps: { newId: () => string; inboxId: string; agentId: string; at: () => string },
  past: PastConversation,
): Promise<void> {
  const { workspaceId } = store;
  const customerId = deps.newId();
  const created = deps.at();
  await store.customers.create({
    id: customerId,
    name: past.name,
    email: null,
    phone: null,
    identity: { kind: 'external', value: past.externalId, verified: true, source: 'api' },
    createdAt: created,
  });
  const conversationId = deps.newId();
  await store.conversations.create({
    id: conversationId,
    workspaceId,
    inboxId: deps.inboxId,
    customerId,
    channel: 'api',
    status: 'open',
    priority: 'normal',
    tags: [],
    assigneeId: deps.agentId,
    handedOff: true,
    botActive: false,
    queueId: null,
    priorityScore: 0,
    waitingSince: null,
    routing: null,
    createdAt: created,
    updatedAt: created,
  });
  for (const [asked, answered] of past.turns)
    for (const [author, text] of [
      ['customer', asked],
      ['agent', answered],
    ] as const)
      await store.messages.insert({
        id: deps.newId(),
        workspaceId,
        conversationId,
        inboxId: deps.inboxId,
        author,
        authorUserId: author === 'agent' ? deps.agentId : null,
        text,
        attachments: [],
        idempotencyKey: null,
        clientMessageId: null,
        createdAt: deps.at(),
      });
  const ended = deps.at();
  await store.conversations.update(conversationId, { status: 'resolved', updatedAt: ended });
  if (past.reopened) await store.assist.markReopened(conversationId, deps.at());
  if (past.csat !== null)
    await store.assist.rate(conversationId, { score: past.csat, comment: null, ratedAt: ended });
}

/** Stores the demo history in the shop's API inbox, answered by `agentId`. */
export async function seedDemoHistory(
  store: WorkspaceStore,
  deps: { newId: () => string; now: Date; inboxId: string; agentId: string },
): Promise<void> {
  for (const [i, c] of DEMO_HISTORY.entries()) {
    const start = deps.now.getTime() - c.daysAgo * 86_400_000;
    let minute = 0;
    const at = () => new Date(start + 60_000 * minute++).toISOString();
    await writePastConversation(
      store,
      { newId: deps.newId, inboxId: deps.inboxId, agentId: deps.agentId, at },
      { externalId: `demo-history-${i + 1}`, name: c.name, turns: c.turns, csat: c.csat },
    );
  }
}

// First start: the demo shop 演示小店 (slug `demo`) with its owner, a widget inbox, an API inbox, the retail
// template bot, demo orders and the default quality-inspection ruleset.
import { defaultQualityRuleset, type Inbox, type NewOrder } from '@zhike/core';
import type { Database, SeedInbox } from '@zhike/db';
import { seedDemoHistory } from './assist/demoHistory.ts';
import { hashPassword, randomToken } from './auth/secrets.ts';
import { seedTemplateQueues } from './bot/templateFiles.ts';
import type { Config } from './config.ts';

export const DEMO_SLUG = 'demo';
export const DEFAULT_SLUG = 'default';

export interface SeedResult {
  created: boolean;
  workspaceSlug: string;
  ownerEmail: string;
  /** Only when the password was generated just now; print it once and forget it. */
  generatedPassword: string | null;
}

/** The demo shop's orders (README "Try the bot"): one per status the bot reports. Phone 13800138000. */
export const DEMO_PHONE = '13800138000';
export const demoOrders: NewOrder[] = [
  {
    number: 'ZK20261125001',
    status: '已发货',
    carrier: '顺丰速运',
    trackingNumber: 'SF1234567890',
    phone: DEMO_PHONE,
    items: [{ name: '纯棉短袖T恤（白色 L）', quantity: 2 }],
    total: '158.00',
  },
  {
    number: 'ZK20261125002',
    status: '待发货',
    carrier: null,
    trackingNumber: null,
    phone: DEMO_PHONE,
    items: [{ name: '保温杯 500ml', quantity: 1 }],
    total: '89.00',
  },
  {
    number: 'ZK20261125003',
    status: '已签收',
    carrier: '中通快递',
    trackingNumber: 'ZT7788990011',
    phone: DEMO_PHONE,
    items: [{ name: '蓝牙耳机', quantity: 1 }],
    total: '299.00',
  },
  {
    number: 'ZK20261125004',
    status: '已取消',
    carrier: null,
    trackingNumber: null,
    phone: '13900139000',
    items: [{ name: '帆布包', quantity: 1 }],
    total: '59.00',
  },
];

/** The demo bot: the retail template with its defaults, open around the clock, ZK + 11 digits. */
export const demoBotSettings = {
  templateId: 'retail',
  variables: {},
  businessHours: {
    timeZone: 'Asia/Shanghai',
    periods: [{ days: [0, 1, 2, 3, 4, 5, 6], open: '00:00', close: '24:00' }],
  },
  orderNumberPattern: 'ZK\\d{11}',
};

/** Origins the demo page is served from out of the box. */
export function defaultDemoOrigins(config: Config): string[] {
  const origins = new Set<string>([new URL(config.publicUrl).origin]);
  for (const port of new Set([3000, config.port].filter((p) => p > 0))) {
    origins.add(`http://localhost:${port}`);
    origins.add(`http://127.0.0.1:${port}`);
  }
  return [...origins];
}

export async function seedOnFirstStart(deps: {
  db: Database;
  config: Config;
  newId: () => string;
  now: Date;
  /** Where the demo shop's template (and its default queues) is read from. */
  templatesDir: string;
}): Promise<SeedResult> {
  const { db, config, newId } = deps;
  const slug = config.demo ? DEMO_SLUG : DEFAULT_SLUG;
  const base = {
    created: false,
    workspaceSlug: slug,
    ownerEmail: config.adminEmail,
    generatedPassword: null,
  };
  if (await db.directory.workspaceBySlug(slug)) return base;
  const createdAt = deps.now.toISOString();
  const workspaceId = newId();
  const password = config.adminPassword ?? randomToken(12);
  const inbox = (
    fields: Pick<Inbox, 'name' | 'channel' | 'widgetToken' | 'allowedOrigins' | 'greeting' | 'webhookSecret'>,
  ): SeedInbox => ({
    id: newId(),
    workspaceId,
    webhookUrl: null,
    createdAt,
    ...fields,
  });
  const created = await db.directory.seedWorkspace({
    workspace: {
      id: workspaceId,
      slug,
      name: config.demo ? '演示小店' : '我的小店',
      locale: 'zh-CN',
      createdAt,
    },
    owner: {
      id: newId(),
      workspaceId,
      email: config.adminEmail,
      name: '店主',
      role: 'owner',
      createdAt,
      passwordHash: await hashPassword(password),
    },
    inboxes: [
      inbox({
        name: '网站聊天',
        channel: 'widget',
        widgetToken: `wt_${randomToken(18)}`,
        allowedOrigins: defaultDemoOrigins(config),
        greeting: '您好！我是智能客服小智，有什么可以帮您？',
        webhookSecret: null,
      }),
      inbox({
        name: 'API',
        channel: 'api',
        widgetToken: null,
        allowedOrigins: [],
        greeting: null,
        webhookSecret: `whsec_${randomToken(24)}`,
      }),
    ],
    faqs: [],
  });
  if (!created) return base; // another process seeded first
  if (config.demo) {
    const store = db.forWorkspace(workspaceId);
    await store.botSettings.save(demoBotSettings, createdAt);
    for (const order of demoOrders) await store.orders.upsert(order, createdAt);
    // Quality inspection starts from the common zh-CN ruleset (服务禁语, 开场白, 退款时效…) as version 1,
    // so supervisors see what every conversation and call is scored against and edit from there.
    const quality = defaultQualityRuleset();
    await store.quality.rulesets.save({
      rules: quality.rules,
      sampling: quality.sampling,
      at: createdAt,
      by: null,
    });
    if (config.demoHistory) {
      const apiInbox = (await store.inboxes.list()).find((i) => i.channel === 'api');
      const owner = (await store.users.list())[0];
      if (apiInbox && owner)
        await seedDemoHistory(store, { newId, now: deps.now, inboxId: apiInbox.id, agentId: owner.id });
    }
    // Routing rules name the shop's queues from the start, before the bot's first compile.
    await seedTemplateQueues(
      store,
      deps.templatesDir,
      { id: demoBotSettings.templateId, locale: 'zh-CN' },
      { newId, at: createdAt },
    );
  }
  return {
    created: true,
    workspaceSlug: slug,
    ownerEmail: config.adminEmail,
    generatedPassword: config.adminPassword ? null : password,
  };
}

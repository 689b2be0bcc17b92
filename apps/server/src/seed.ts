// First start: the demo shop 演示小店 (slug `demo`) with its owner, a widget inbox, an API inbox and FAQ.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Faq, Inbox } from '@zhike/core';
import type { Database } from '@zhike/db';
import { hashPassword, randomToken } from './auth/secrets.ts';
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

const builtInFaqs: Omit<Faq, 'id'>[] = [
  {
    question: '你们发什么快递？多久能到？',
    similar: ['一般发什么快递', '几天能到货', '发货要多久', '用哪家快递'],
    answer: '我们默认发顺丰或中通，下单后 24 小时内发货，江浙沪一般 1–2 天送达，其他地区 2–4 天。',
    keywords: ['快递', '发货', '几天', '多久', '到货', '物流'],
  },
  {
    question: '可以退换货吗？',
    similar: ['支持七天无理由吗', '怎么退货', '不喜欢可以退吗', '换货流程'],
    answer: '支持七天无理由退换（商品未使用、包装完好）。请在订单页点击“申请售后”，审核通过后寄回即可。',
    keywords: ['退货', '退换', '换货', '无理由', '售后', '退款'],
  },
  {
    question: '客服工作时间是什么时候？',
    similar: ['几点有人', '客服在线时间', '晚上有客服吗'],
    answer: '人工客服每天 9:00–21:00 在线，其他时间智能客服为您服务，留言我们会尽快回复。',
    keywords: ['工作时间', '在线', '几点', '上班'],
  },
  {
    question: '支持哪些付款方式？',
    similar: ['可以用微信支付吗', '支付宝能付吗', '能货到付款吗'],
    answer: '支持微信支付、支付宝和银行卡付款，暂不支持货到付款。',
    keywords: ['付款', '支付', '微信', '支付宝', '货到付款'],
  },
  {
    question: '可以开发票吗？',
    similar: ['怎么开发票', '能开专票吗', '电子发票'],
    answer: '可以开具电子普通发票，下单时填写抬头和税号即可；需要专票请联系人工客服。',
    keywords: ['发票', '专票', '抬头', '税号'],
  },
];

/** Uses the NLU team's retail template when present, else the built-in list above. */
function demoFaqs(repoRoot: string, newId: () => string): Faq[] {
  const file = join(repoRoot, 'templates/retail/zh-CN.json');
  if (existsSync(file)) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { faqs?: Partial<Faq>[] };
      const faqs = (data.faqs ?? [])
        .filter((f) => typeof f.question === 'string' && typeof f.answer === 'string')
        .map((f) => ({
          id: newId(),
          question: f.question as string,
          similar: Array.isArray(f.similar) ? f.similar.filter((s) => typeof s === 'string') : [],
          answer: f.answer as string,
          keywords: Array.isArray(f.keywords) ? f.keywords.filter((s) => typeof s === 'string') : [],
        }));
      if (faqs.length > 0) return faqs;
    } catch {
      // fall through to the built-in list
    }
  }
  return builtInFaqs.map((f) => ({ ...f, id: newId() }));
}

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
  repoRoot: string;
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
  ): Inbox => ({
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
    faqs: config.demo ? demoFaqs(deps.repoRoot, newId) : [],
  });
  if (!created) return base; // another process seeded first
  return {
    created: true,
    workspaceSlug: slug,
    ownerEmail: config.adminEmail,
    generatedPassword: config.adminPassword ? null : password,
  };
}

// Issue 7's acceptance in real Chromium: a signed-in shop customer asks the bot on the demo storefront for
// a refund, gives an order number of theirs and asks for a person. The agent opens the handed-off
// conversation and sees the hand-off card with that order number and the customer 360 panel with the
// order; the first suggested reply is the retail template's refund compliance wording, pinned, saying it
// comes from the reply templates, with the order number filled in. One click puts it in the reply box, the
// agent sends it, and the visitor's widget shows it with their name. Saves the README's screenshot.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
  freePort,
  repoRoot,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

// One of the demo shop's seeded orders (apps/server/src/seed.ts), placed with the customer's phone.
const ORDER = 'ZK20261125003';
const CUSTOMER = { name: '韩梅梅', phone: '13800138000' };
// Words of the retail template's refund compliance reply (templates/retail/replies.json).
const COMPLIANCE_WORDS = '1–2 个工作日内办理退款';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServer(serverEnv({ dataDir: tempDataDir(), port: await freePort() }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The shop's own server side: signs the visitor's identity with the widget inbox's secret. */
async function signedIdentity(fields: { name: string; phone: string }) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { inboxes } = (await (
    await fetch(`${server.url}/api/v1/inboxes`, { headers: { cookie } })
  ).json()) as {
    inboxes: { id: string; channel: string }[];
  };
  const widget = inboxes.find((i) => i.channel === 'widget');
  const res = await fetch(`${server.url}/api/v1/inboxes/${widget?.id}/identity-secret`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  const { secret } = (await res.json()) as { secret: string };
  const canonical = `name=${encodeURIComponent(fields.name)}&phone=${encodeURIComponent(fields.phone)}`;
  return { ...fields, signature: createHmac('sha256', secret).update(canonical).digest('hex') };
}

const texts = (page: Page, author: string) =>
  page.locator(`[data-zhike="message"][data-author="${author}"]`).allTextContents();

/** Sends `text` in the widget and waits until a message from `author` after it contains `expected`. */
async function visitorSays(page: Page, text: string, author: 'bot' | 'system', expected: string) {
  const before = (await texts(page, author)).length;
  await page.locator('[data-zhike="input"]').fill(text);
  await page.locator('[data-zhike="send"]').click();
  await expect
    .poll(async () => (await texts(page, author)).slice(before), { timeout: 20_000 })
    .toContainEqual(expect.stringContaining(expected));
}

it('a refund conversation handed off by the bot is answered with the pinned compliance suggestion', async () => {
  const identity = await signedIdentity(CUSTOMER);
  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto(`${server.url}/demo`);
  await visitor.waitForFunction(() => window.Zhike !== undefined);
  await visitor.evaluate((fields) => window.Zhike?.identify(fields), identity);
  await visitor.locator('[data-zhike="launcher"]').click();

  // The bot's refund form takes the order number, then the customer asks for a person.
  await visitorSays(visitor, '我要退款', 'bot', '订单号');
  await visitorSays(visitor, ORDER, 'bot', '原因');
  await visitorSays(visitor, '转人工', 'system', '人工');

  // Tall enough for the side column to show the hand-off card, the suggestions and the customer 360.
  const agentCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 2300 } });
  const agent = await agentCtx.newPage();
  await signIn(agent, server.url);
  // A fresh shop: the only conversation is this one.
  const item = agent.getByTestId('conversation-item');
  await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1);
  await item.first().click();

  // The hand-off card carries the order number the customer gave the bot; the customer 360 has the order.
  const card = agent.getByTestId('handoff-card');
  await card.waitFor({ timeout: 20_000 });
  await expect.poll(() => card.getByTestId('handoff-slot-order_number').textContent()).toBe(ORDER);
  const c360 = agent.getByTestId('customer-panel').getByTestId('customer-360');
  await expect
    .poll(() => c360.getByTestId('c360-order').allTextContents(), { timeout: 10_000 })
    .toContainEqual(expect.stringContaining(ORDER));

  // The first suggestion: the refund compliance template, pinned and marked 合规, said to come from the
  // reply templates, with the order filled in (the name is the server's to fill when the reply is sent).
  const first = agent.getByTestId('suggestion-1');
  await first.waitFor({ timeout: 20_000 });
  expect(await first.getAttribute('data-source')).toBe('template');
  expect(await first.getAttribute('data-pinned')).toBe('true');
  const shown = (await first.textContent()) ?? '';
  expect(shown).toContain('合规');
  expect(shown).toContain('话术模板');
  expect(shown).toContain('退款时效');
  expect(shown).toContain(`订单 ${ORDER} 的退款申请已受理`);
  expect(shown).not.toContain('{{order.');

  await first.getByTestId('suggestion-insert-1').click();
  const input = agent.getByTestId('reply-input');
  await expect.poll(() => input.inputValue()).toContain(ORDER);
  const draft = await input.inputValue();
  expect(draft).toContain(COMPLIANCE_WORDS);
  expect(draft).not.toContain('{{order.');
  expect(await agent.getByTestId('reply-unfilled').count()).toBe(0);
  // The side column from its top: the hand-off card, the suggestions and the customer 360; the
  // "inserted" toast gone.
  await agent.locator('.zk-customer-aside').evaluate((aside) => {
    aside.scrollTop = 0;
  });
  await agent.locator('.ant-message-notice').waitFor({ state: 'detached', timeout: 10_000 });
  await agent.screenshot({ path: join(repoRoot, 'docs/screenshots/console-agent-assist.png') });

  // Sent, it reaches the visitor with the customer's own name filled in by the server.
  await agent.getByTestId('reply-send').click();
  await expect
    .poll(() => texts(visitor, 'agent'), { timeout: 15_000 })
    .toContainEqual(expect.stringContaining(`您好 ${CUSTOMER.name}，订单 ${ORDER} 的退款申请已受理`));
  const received = (await texts(visitor, 'agent')).join('\n');
  expect(received).toContain(COMPLIANCE_WORDS);
  expect(received).not.toContain('{{');
}, 90_000);

// The hand-off card and the customer 360 in real Chromium: a customer asks the demo shop's bot for a
// refund through the API channel, gives the order number, then gets angry and the bot hands over. The
// agent opens the conversation and sees the hand-off card with the order number the customer gave and an
// extractive summary, the order in the customer 360, and adds a note. Saves the README's screenshot.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { signIn } from '../support/pages.ts';
import {
  freePort,
  repoRoot,
  runCli,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

const ORDER = 'ZK20261125003';
const NOTE = '老客户，语气要耐心';

let server: ServerProcess;
let browser: Browser;
let key = '';
let seq = 0;

beforeAll(async () => {
  const env = serverEnv({ dataDir: tempDataDir(), port: await freePort() });
  server = await startServer(env);
  key =
    (await runCli(['api-key', 'create', '--workspace', 'demo'], env)).trim().split('\n').at(-1)?.trim() ?? '';
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** One customer message through the API channel; waits until something answered it. */
async function say(text: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { externalId: 'e2e-refund' }, text, messageId: `e2e-handoff-${++seq}` }),
  });
  expect(res.status).toBe(200);
  const { conversationId, messageId } = (await res.json()) as { conversationId: string; messageId: string };
  await expect
    .poll(
      async () => {
        const list = (await (
          await fetch(`${server.url}/api/v1/conversations/${conversationId}/messages?limit=200`, {
            headers: { authorization: `Bearer ${key}` },
          })
        ).json()) as { messages: { id: string }[] };
        return list.messages.findIndex((m) => m.id === messageId) < list.messages.length - 1;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return conversationId;
}

it('the agent sees the hand-off card with the order number the customer gave, and the customer 360', async () => {
  await say('我要申请退款');
  await say(ORDER);
  await say('衣服收到就有破洞，质量太差了，非常生气');

  const agent = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } })
  ).newPage();
  await signIn(agent, server.url);
  const item = agent.getByTestId('conversation-item');
  await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
  await item.first().click();

  const card = agent.getByTestId('handoff-card');
  await card.waitFor({ timeout: 15_000 });
  await expect.poll(() => card.getByTestId('handoff-slot-order_number').textContent()).toBe(ORDER);
  expect(await card.getByTestId('handoff-summary-kind').getAttribute('data-kind')).toBe('extractive');
  expect(await card.getByTestId('handoff-summary').textContent()).toContain(ORDER);
  expect(await card.getByTestId('handoff-intent').count()).toBeGreaterThan(0);
  expect(await card.getByTestId('handoff-sentiment').getAttribute('data-direction')).toMatch(
    /^(improving|worsening|steady)$/,
  );

  const c360 = agent.getByTestId('customer-panel').getByTestId('customer-360');
  await c360.waitFor({ timeout: 10_000 });
  await expect
    .poll(() => c360.getByTestId('c360-order').allTextContents())
    .toContainEqual(expect.stringContaining(ORDER));
  expect(await c360.getByTestId('c360-conversation').getAttribute('data-outcome')).toBe('handed_off');
  await c360.getByTestId('c360-note-input').fill(NOTE);
  await c360.getByTestId('c360-note-add').click();
  await expect
    .poll(() => c360.getByTestId('c360-note').allTextContents())
    .toContainEqual(expect.stringContaining(NOTE));

  // The side column from its top: the hand-off card above the suggestions and the customer panel.
  await agent.locator('.zk-customer-aside').evaluate((aside) => {
    aside.scrollTop = 0;
  });
  await agent.screenshot({ path: join(repoRoot, 'docs/screenshots/console-handoff-card.png') });
});

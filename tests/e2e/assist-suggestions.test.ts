// Reply suggestions in real Chromium: a conversation handed off to people shows the 推荐回复 panel; a new
// customer message replaces its suggestions live (the `suggestions` frame); the first one's insert button
// puts its text in the reply box, sending it unchanged is recorded as accepted, and Alt+2 inserts the
// second suggestion from inside the reply box. Saves the README's screenshot of the panel.
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

let server: ServerProcess;
let browser: Browser;
let key = '';
let seq = 0;

beforeAll(async () => {
  // With the demo shop's past conversations, so the history source shows up too.
  const env = { ...serverEnv({ dataDir: tempDataDir(), port: await freePort() }), ZHIKE_DEMO_HISTORY: '1' };
  server = await startServer(env);
  key = (await runCli(['api-key', 'create', '--workspace', 'demo'], env)).trim().split('\n').at(-1)!.trim();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function say(customer: string, text: string) {
  const res = await fetch(`${server.url}/api/v1/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { externalId: customer }, text, messageId: `as-${++seq}` }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { conversationId: string; messageId: string };
}

it('shows suggestions live, inserts the first with one click and records it as accepted', async () => {
  const { conversationId } = await say('assist-e2e', '转人工');
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  // The console feed's `ready`: from then on the frames of new messages reach the page.
  let feedReady = false;
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (String(f.payload).includes('"type":"ready"')) feedReady = true;
    }),
  );
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/inbox/${conversationId}`);
  const panel = page.getByTestId('suggestions-panel');
  await panel.waitFor();
  await expect.poll(() => feedReady, { timeout: 15_000 }).toBe(true);

  // The customer asks while the agent has the conversation open: suggestions arrive without a reload.
  const asked = await say('assist-e2e', '退款多久能到账');
  await expect.poll(() => panel.getAttribute('data-message-id'), { timeout: 20_000 }).toBe(asked.messageId);
  const first = page.getByTestId('suggestion-1');
  await first.waitFor();
  const source = await first.getAttribute('data-source');
  expect(['knowledge', 'template', 'history']).toContain(source);
  expect(await first.textContent()).toMatch(/知识库|话术模板|历史回复/);
  // The demo shop's well-rated answer to the same question is among them.
  await expect.poll(() => panel.locator('[data-source="history"]').count()).toBeGreaterThan(0);

  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/console-suggestions.png') });

  const reply = page.getByTestId('reply-input');
  await page.getByTestId('suggestion-insert-1').click();
  await expect.poll(() => reply.inputValue()).not.toBe('');
  const feedback = page.waitForResponse((r) => r.url().endsWith('/suggestions/feedback'));
  await page.getByTestId('reply-send').click();
  const verdict = await (await feedback).json();
  expect(verdict).toMatchObject({ recorded: true, action: 'accepted' });
  await expect.poll(() => reply.inputValue()).toBe('');

  // Alt+2 works from inside the reply box, after what the agent typed.
  const again = await say('assist-e2e', '那退货的运费谁出');
  await expect.poll(() => panel.getAttribute('data-message-id'), { timeout: 20_000 }).toBe(again.messageId);
  await page.getByTestId('suggestion-2').waitFor();
  await reply.fill('您好，');
  await reply.press('Alt+2');
  await expect.poll(() => reply.inputValue()).toMatch(/^您好，.{5,}/);
  await ctx.close();
});

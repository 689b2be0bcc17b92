// A visitor chats on the demo storefront, an agent answers from the console, both in real Chromium.
// Saves the screenshots the README shows.
import { mkdirSync } from 'node:fs';
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

const shots = join(repoRoot, 'docs/screenshots');
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(serverEnv({ dataDir: tempDataDir(), port: await freePort() }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const widget = (page: Page, hook: string) => page.locator(`[data-zhike="${hook}"]`);

async function visitorSends(page: Page, text: string) {
  await widget(page, 'input').fill(text);
  await widget(page, 'send').click();
  await expect
    .poll(() => page.locator('[data-zhike="message"][data-author="customer"]').allTextContents())
    .toContainEqual(expect.stringContaining(text));
}

it('carries a chat from the storefront widget to the console and back, and keeps it across reloads', async () => {
  const visitorCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const visitor = await visitorCtx.newPage();
  await visitor.goto(`${server.url}/demo`);
  await widget(visitor, 'launcher').click();
  await expect.poll(() => widget(visitor, 'panel').isVisible()).toBe(true);

  await visitorSends(visitor, '你们一般发什么快递？多久能到？');
  // The bot answers routine questions first.
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="bot"]').count(), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await visitorSends(visitor, '我的订单有问题，转人工');

  const agentCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const agent = await agentCtx.newPage();
  await signIn(agent, server.url);
  const item = agent.getByTestId('conversation-item').first();
  await item.waitFor({ timeout: 15_000 });
  await agent.screenshot({ path: join(shots, 'console-inbox.png') });
  await item.click();
  await expect
    .poll(() => agent.getByTestId('message').allTextContents(), { timeout: 15_000 })
    .toContainEqual(expect.stringContaining('转人工'));

  // Real time both ways: a new visitor message shows up in the open conversation without a reload…
  await visitorSends(visitor, '订单号是 ZK20261125001');
  await expect
    .poll(() => agent.getByTestId('message').allTextContents())
    .toContainEqual(expect.stringContaining('ZK20261125001'));
  // …and the agent's reply shows up in the widget.
  const answer = '您好，我是客服小智，已经帮您查到订单，今天下午发货。';
  await agent.getByTestId('reply-input').fill(answer);
  await agent.getByTestId('reply-send').click();
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="agent"]').allTextContents(), {
      timeout: 10_000,
    })
    .toContainEqual(expect.stringContaining(answer));
  await agent.screenshot({ path: join(shots, 'console-conversation.png') });
  await visitor.screenshot({ path: join(shots, 'widget.png') });

  // Reloading keeps the visitor's identity and history.
  await visitor.reload();
  await widget(visitor, 'launcher').click();
  await expect
    .poll(() => visitor.locator('[data-zhike="message"]').allTextContents())
    .toEqual(
      expect.arrayContaining([expect.stringContaining('ZK20261125001'), expect.stringContaining(answer)]),
    );

  // Phone-sized screens get a full-screen chat.
  const phoneCtx = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  const phone = await phoneCtx.newPage();
  await phone.goto(`${server.url}/demo`);
  await widget(phone, 'launcher').click();
  await expect.poll(() => widget(phone, 'panel').isVisible()).toBe(true);
  await phone.screenshot({ path: join(shots, 'widget-mobile.png') });
});

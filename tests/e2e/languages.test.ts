// Issue 11 in real Chromium. A visitor writes Cantonese (我張單幾時到呀?) and the bot, trained on Mandarin
// only, looks the order up and answers in traditional characters. Then the owner chooses a translation
// provider on #/settings/translation (a local server speaking LibreTranslate's protocol), an English
// visitor asks for a person, and a Chinese-only agent chats with them: the agent reads Chinese (the
// English original one click away) and writes Chinese, the visitor reads English. Saves the README's
// screenshots of both sides.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { botSays, chooseOption, signIn } from '../support/pages.ts';
import {
  freePort,
  repoRoot,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';
import { startTranslationDouble, type TranslationDouble } from '../support/translationDouble.ts';

const shots = join(repoRoot, 'docs/screenshots');
let server: ServerProcess;
let browser: Browser;
let double: TranslationDouble;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // The demo shop's greeting and hand-off notice, as a translator would render them.
  double = await startTranslationDouble({
    phrases: [
      ['您好，这里是演示小店，有什么可以帮您？', 'Hello, this is the demo shop. How can I help you?'],
      ['好的，正在为您转接人工客服，请稍候。', 'OK, connecting you to an agent, please wait.'],
    ],
  });
  server = await startServer({
    ...serverEnv({ dataDir: tempDataDir(), port: await freePort() }),
    // The provider double listens on this machine: providers' hosts are allow-listed like channels'.
    ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await double?.close();
});

const widget = (page: Page, hook: string) => page.locator(`[data-zhike="${hook}"]`);

async function openWidget(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/demo`);
  await widget(page, 'launcher').click();
  await expect.poll(() => widget(page, 'panel').isVisible()).toBe(true);
  return page;
}

it('answers a Cantonese order question in traditional Chinese', async () => {
  const visitor = await openWidget('zh-HK');
  // Order status needs the order number and the phone's last four digits; every answer comes back in
  // traditional characters (訂單, 請).
  await botSays(visitor, '我張單幾時到呀?', '訂單', 60_000);
  await botSays(visitor, 'ZK20261125001', '手機', 60_000);
  await botSays(visitor, '8000', '已發貨', 60_000);
  const answers = await visitor.locator('[data-zhike="message"][data-author="bot"]').allTextContents();
  expect(answers.join('')).toContain('SF1234567890');
  expect(answers.join('')).not.toMatch(/[订单请发货]/u);
  await visitor.screenshot({ path: join(shots, 'widget-cantonese.png') });
  await visitor.context().close();
});

it('lets an English visitor and a Chinese-only agent each read their own language', async () => {
  const owner = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })
  ).newPage();
  await signIn(owner, server.url);
  await owner.getByTestId('conversation-list').or(owner.getByTestId('conversation-item')).first().waitFor();
  await owner.goto(`${server.url}/#/settings/translation`);
  await owner.getByTestId('translation-settings').waitFor();
  await chooseOption(owner, 'translation-provider', 'LibreTranslate');
  await owner.getByTestId('translation-field-baseUrl').fill(double.url);
  await owner.getByTestId('translation-glossary').fill('智客');
  await owner.getByTestId('translation-save').click();
  await owner.locator('.ant-message-success').waitFor();

  const visitor = await openWidget('en-US');
  await botSays(visitor, 'Hello', 'How can I help you?', 60_000);
  // Asking for a person: the bot read 转人工 and hands the conversation over.
  await widget(visitor, 'input').fill('Talk to an agent');
  await widget(visitor, 'send').click();
  await expect
    .poll(() => double.calls.some((c) => c.texts.includes('Talk to an agent')), { timeout: 30_000 })
    .toBe(true);

  await owner.goto(`${server.url}/#/inbox`);
  const item = owner.getByTestId('conversation-item').first();
  await item.waitFor({ timeout: 30_000 });
  await item.click();
  // The agent reads the customer in Chinese, with the English one click away.
  await expect
    .poll(() => owner.getByTestId('message-translation').allTextContents(), { timeout: 30_000 })
    .toContainEqual('转人工');
  await expect.poll(() => owner.getByTestId('translation-toggle').isChecked()).toBe(true);
  const customerBubble = owner
    .locator('[data-testid="message"][data-author="customer"]')
    .filter({ hasText: '转人工' });
  await customerBubble.getByTestId('show-original').click();
  await expect
    .poll(() => customerBubble.getByTestId('message-original').textContent())
    .toContain('Talk to an agent');

  // The agent writes Chinese; the visitor receives English.
  await owner.getByTestId('reply-input').fill('您的订单明天发货。');
  await owner.getByTestId('reply-send').click();
  await expect
    .poll(() => widget(visitor, 'message').allTextContents(), { timeout: 30_000 })
    .toContainEqual(expect.stringContaining('Your order ships tomorrow.'));
  await expect
    .poll(() => owner.locator('[data-testid="message"][data-author="agent"]').allTextContents())
    .toContainEqual(expect.stringContaining('您的订单明天发货。'));
  // And the visitor's answer comes back in Chinese for the agent.
  await widget(visitor, 'input').fill('Thank you!');
  await widget(visitor, 'send').click();
  await expect
    .poll(() => owner.getByTestId('message-translation').allTextContents(), { timeout: 30_000 })
    .toContainEqual(expect.stringContaining('谢谢'));
  await owner.screenshot({ path: join(shots, 'console-translation.png') });
  await visitor.screenshot({ path: join(shots, 'widget-english.png') });
});

// The dialogue editor in real Chromium: the owner rewrites the refund form's policy text on 对话流程
// (saved as version 1), and a visitor on the demo storefront then hears exactly that text from the bot
// in the widget before confirming a refund. Saves the README's screenshot of the page.
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

const POLICY = '本店退款新规：签收 15 天内可申请退款，审核通过后 3 个工作日内原路退回。';

const LIVE = '每晚 8 点在直播间上新，欢迎来看。';

const widget = (page: Page, hook: string) => page.locator(`[data-zhike="${hook}"]`);

/** Sends one visitor message; resolves with the bot's texts that followed it once one contains `expected`. */
async function turn(page: Page, text: string, expected: string): Promise<string[]> {
  const messages = page.locator('[data-zhike="message"]');
  const before = await messages.count();
  await widget(page, 'input').fill(text);
  await widget(page, 'send').click();
  const botTexts = async () =>
    (
      await messages.evaluateAll((nodes) =>
        nodes.map((n) => ({ author: n.getAttribute('data-author'), text: n.textContent ?? '' })),
      )
    )
      .slice(before)
      .filter((m) => m.author === 'bot')
      .map((m) => m.text);
  await expect.poll(botTexts, { timeout: 30_000 }).toContainEqual(expect.stringContaining(expected));
  return botTexts();
}

it('changes the refund policy text in the console and the bot states it in the widget', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor();
  await page.goto(`${server.url}/#/bot/dialogue`);
  await page.getByTestId('dialogue-page').waitFor();
  // The demo shop runs the retail template unchanged.
  await expect
    .poll(() => page.locator('[data-testid="dialogue-intents"] tbody tr.ant-table-row').count(), {
      timeout: 15_000,
    })
    .toBeGreaterThan(5);
  expect(await page.getByTestId('dialogue-version').textContent()).toContain('未修改');

  await page.getByTestId('dialogue-tab-forms').click();
  const policy = page.getByTestId('dialogue-form-policy-refund');
  await policy.fill(POLICY);
  await page.getByTestId('dialogue-form-save-refund').click();
  await expect.poll(() => page.getByTestId('dialogue-version').textContent()).toContain('当前版本 1');
  await expect.poll(() => page.getByTestId('dialogue-form-refund').textContent()).toContain('已修改');

  await page.getByTestId('dialogue-tab-versions').click();
  await expect
    .poll(() => page.locator('[data-testid="dialogue-versions"] tbody tr.ant-table-row').count())
    .toBe(1);
  await page.getByTestId('dialogue-tab-intents').click();

  // An intent of the owner's own, added in the drawer: three examples and a fixed reply.
  await page.getByTestId('dialogue-add-intent').click();
  await page.getByTestId('dialogue-intent-name').fill('live_stream');
  const examples = page.getByTestId('dialogue-example');
  await examples.nth(0).fill('直播间什么时候开播');
  await examples.nth(1).fill('今晚有直播吗');
  await examples.nth(2).fill('直播几点开始');
  await page.getByTestId('dialogue-example-add').click();
  await examples.nth(3).fill('主播什么时候上线');
  await page.getByTestId('dialogue-reply-text').fill(LIVE);
  await page.getByTestId('dialogue-intent-save').click();
  await expect.poll(() => page.getByTestId('dialogue-version').textContent()).toContain('当前版本 2');
  await expect
    .poll(() => page.locator('[data-testid="dialogue-intents"] tbody').textContent())
    .toContain('live_stream');
  // Let the tab and toast animations settle for the picture.
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/console-dialogue.png'), fullPage: true });

  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto(`${server.url}/demo`);
  await widget(visitor, 'launcher').click();
  await turn(visitor, '我要退款', '订单号');
  await turn(visitor, 'ZK20261125001', '退款原因');
  await turn(visitor, '尺码太小了', '上传照片');
  const said = await turn(visitor, '跳过', POLICY);
  expect(said.join('\n')).not.toContain('七天无理由');
  await turn(visitor, '确认', '工单号');
  await turn(visitor, '今晚有直播吗', LIVE);
}, 120_000);

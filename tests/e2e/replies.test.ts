// Canned replies in real Chromium: the owner writes one on 快捷回复 (variables previewed as tags), a widget
// visitor asks for a refund with an order number, and in the conversation the agent types `/ref`, picks
// the retail template's refund compliance wording with Enter, sees it filled with the order and warned
// about the variable it could not fill, completes it and sends it; the visitor receives it.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { signIn } from '../support/pages.ts';
import {
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

it('writes a canned reply and inserts the refund compliance reply with /shortcut, filled for the conversation', async () => {
  const page = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } })
  ).newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor();

  // The demo shop starts with the retail template's replies; the owner adds one.
  await page.goto(`${server.url}/#/settings/replies`);
  const rows = page.locator('[data-testid="replies-list"] tbody tr.ant-table-row');
  await expect
    .poll(() => rows.allTextContents(), { timeout: 20_000 })
    .toContainEqual(expect.stringContaining('/refund'));
  const seeded = await rows.count();
  await page.getByTestId('replies-add').click();
  await page.getByTestId('reply-template-shortcut').fill('late');
  await page.getByTestId('reply-template-title').fill('发货延迟致歉');
  await page
    .getByTestId('reply-template-body')
    .fill('{{customer.name}} 您好，订单 {{order.number}} 发货延迟，{{oops}} 非常抱歉。');
  await expect
    .poll(() => page.getByTestId('reply-template-preview').locator('.ant-tag-red').allTextContents())
    .toEqual(['oops']);
  await page.getByTestId('reply-template-save').click();
  // The server refuses the unknown variable at its field; fixed, it saves.
  await expect
    .poll(() => page.getByTestId('reply-template-form').textContent())
    .toContain('unknown variable {{oops}}');
  await page
    .getByTestId('reply-template-body')
    .fill('{{customer.name}} 您好，订单 {{order.number}} 发货延迟，非常抱歉。');
  await page.getByTestId('reply-template-save').click();
  await expect.poll(() => rows.count()).toBe(seeded + 1);
  await page.screenshot({
    path: join(repoRoot, 'docs/screenshots/console-canned-replies.png'),
    fullPage: true,
  });

  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto(`${server.url}/demo`);
  await visitor.locator('[data-zhike="launcher"]').click();
  await visitor.locator('[data-zhike="input"]').fill('我要退款，订单号 ZK20261125001');
  await visitor.locator('[data-zhike="send"]').click();
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="bot"]').count(), { timeout: 20_000 })
    .toBeGreaterThan(0);

  await page.goto(`${server.url}/#/inbox`);
  const item = page.getByTestId('conversation-item').first();
  await item.waitFor({ timeout: 20_000 });
  await item.click();
  const input = page.getByTestId('reply-input');
  await input.click();
  await page.keyboard.type('/ref');
  const options = page.getByTestId('reply-shortcut');
  await expect.poll(() => options.first().getAttribute('data-shortcut'), { timeout: 10_000 }).toBe('refund');
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/console-reply-shortcut.png') });
  await page.keyboard.press('Enter');
  await expect.poll(() => input.inputValue()).toContain('订单 ZK20261125001 的退款申请已受理');
  expect(await input.inputValue()).not.toContain('/ref');
  // The customer's name is the server's to fill on send (agents see names masked); the agent is told so.
  await expect
    .poll(() => page.getByTestId('reply-filled-on-send').textContent())
    .toContain('{{customer.name}}');
  expect(await page.getByTestId('reply-unfilled').count()).toBe(0);
  // Any other placeholder left in the draft is a warning until the agent completes it.
  const draft = await input.inputValue();
  await input.fill(`${draft} {{shop.nothing}}`);
  await expect.poll(() => page.getByTestId('reply-unfilled').textContent()).toContain('{{shop.nothing}}');
  await input.fill(draft);
  await expect.poll(() => page.getByTestId('reply-unfilled').count()).toBe(0);
  await page.getByTestId('reply-send').click();
  // A widget visitor has no name: it is left out with its space, never sent as a placeholder.
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="agent"]').allTextContents(), {
      timeout: 15_000,
    })
    .toContainEqual(expect.stringContaining('您好，订单 ZK20261125001 的退款申请已受理'));
}, 60_000);

// Outbound campaigns in real Chromium: the owner puts a number on the do-not-call list, creates a
// survey campaign on the workspace's voice line with two pasted numbers, sees it in the list as a draft
// with two pending targets, is told plainly why it cannot start (no SIP line can dial here: 409), and
// opens the campaign's targets.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { consoleApi, login } from '../support/clients.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
  freePort,
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
  // The campaign's voice line: a trunk-mode voice inbox (no SIP line is registered in tests).
  const owner = await login(server.url, ADMIN.email, ADMIN.password);
  await consoleApi(server.url, owner, '/api/v1/inboxes', {
    name: '客服热线',
    adapter: 'sip-voice',
    config: { mode: 'trunk', allowedSources: '127.0.0.1' },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('creates a campaign from pasted numbers, lists it, shows why it cannot start, and opens its targets', async () => {
  const page = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } })
  ).newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor();

  await page.goto(`${server.url}/#/settings/do-not-call`);
  await page.getByTestId('dnc-phone').fill('not a phone');
  await page.getByTestId('dnc-add').click();
  await expect.poll(() => page.getByTestId('dnc-form').textContent()).toContain('not a phone number');
  await page.getByTestId('dnc-phone').fill('13700137000');
  await page.getByTestId('dnc-reason').fill('客户要求不再来电');
  await page.getByTestId('dnc-add').click();
  const dncRows = page.locator('[data-testid="dnc-list"] tbody tr.ant-table-row');
  await expect
    .poll(() => dncRows.allTextContents(), { timeout: 10_000 })
    .toEqual([expect.stringContaining('客户要求不再来电')]);

  await page.goto(`${server.url}/#/campaigns`);
  await page.getByTestId('campaign-new').click();
  await page.getByTestId('campaign-name').fill('双十一服务回访');
  await page.getByTestId('campaign-script').fill('{{customer.name}}您好，请为本次服务打分，1 到 5 分。');
  await expect.poll(() => page.getByTestId('campaign-script-count').textContent()).toContain('/ 500');
  // The only voice inbox is preselected as the line.
  await expect.poll(() => page.getByTestId('campaign-form').textContent()).toContain('客服热线');
  await page.getByTestId('campaign-phones').fill('138 0013 8000\n13900139000\n');
  await expect.poll(() => page.getByTestId('campaign-phones-count').textContent()).toContain('2');
  await page.getByTestId('campaign-submit').click();
  await expect
    .poll(() => page.getByTestId('campaign-created').textContent(), { timeout: 10_000 })
    .toContain('共 2 个号码');
  await page.getByTestId('campaign-created-close').click();

  const rows = page.locator('[data-testid="campaign-list"] tbody tr.ant-table-row');
  await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('双十一服务回访')]);
  expect(await rows.first().getByTestId('campaign-status').textContent()).toBe('草稿');

  // Starting needs a line that can dial; this server has none, and the page says so.
  await rows.first().getByTestId('campaign-start').click();
  await expect
    .poll(() => page.getByTestId('campaign-action-error').textContent(), { timeout: 10_000 })
    .toContain('No voice line can place calls');
  expect(await rows.first().getByTestId('campaign-status').textContent()).toBe('草稿');

  await rows.first().getByText('双十一服务回访').click();
  await page.getByTestId('campaign-detail').waitFor({ timeout: 15_000 });
  await expect.poll(() => page.url()).toMatch(/#\/campaigns\/[0-9a-zA-Z-]+$/);
  const targets = page.locator('[data-testid="campaign-targets"] tbody tr.ant-table-row');
  await expect.poll(() => targets.count(), { timeout: 10_000 }).toBe(2);
  expect(await targets.allTextContents()).toEqual([
    expect.stringContaining('待拨'),
    expect.stringContaining('待拨'),
  ]);
  await expect
    .poll(() => page.getByTestId('campaign-progress-summary').textContent())
    .toContain('待拨 2 / 共 2');
  await page.getByTestId('chart-campaign-progress').locator('canvas').waitFor();
}, 60_000);

// Issue 4's bot analytics in real Chromium: customers talk to the demo bot through the API channel, the
// owner opens 机器人分析, sees the KPI cards, charts and the unanswered questions grouped, turns one group
// into an FAQ in one click (pre-filled), and the bot answers that question from then on. Saves the
// README's screenshot of the page.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
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
  const env = serverEnv({ dataDir: tempDataDir(), port: await freePort() });
  server = await startServer(env);
  key = (await runCli(['api-key', 'create', '--workspace', 'demo'], env)).trim().split('\n').at(-1)!.trim();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A customer message through the API channel; resolves with the bot's (or the hand-off's) words. */
async function say(customer: string, text: string): Promise<{ reply: string; conversationId: string }> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const res = await fetch(`${server.url}/api/v1/inbound`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ customer: { externalId: customer }, text, messageId: `e2e-${++seq}` }),
  });
  expect(res.status).toBe(200);
  const { conversationId, messageId } = (await res.json()) as { conversationId: string; messageId: string };
  let reply = '';
  await expect
    .poll(
      async () => {
        const list = (await (
          await fetch(`${server.url}/api/v1/conversations/${conversationId}/messages?limit=200`, { headers })
        ).json()) as { messages: { id: string; text: string }[] };
        const after = list.messages.slice(list.messages.findIndex((m) => m.id === messageId) + 1);
        reply = after.map((m) => m.text).join('\n');
        return after.length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  return { reply, conversationId };
}

it('shows the bot analytics and turns an unanswered question into an FAQ the bot then answers', async () => {
  // Answered questions, a request for a human, and two customers the bot cannot understand.
  const hours = await say('e2e-hours', '你们几点关门');
  const ship = await say('e2e-ship', '你们一般发什么快递？');
  await say('e2e-human', '转人工');
  // Gibberish the bot asks to clarify. (叽里呱啦 biubiu was used here until the NLU's out-of-scope work
  // read it as out of scope: a first message out of scope goes to people at once by the routing rules,
  // so that customer never got the bot's second turn this test is about.)
  await say('e2e-gift-1', '呜啦啦啦 biubiu');
  await say('e2e-gift-1', '咕噜咕噜');
  await say('e2e-gift-2', '呜啦啦啦 biubiu');
  await say('e2e-gift-2', '咕噜咕噜咕噜');

  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1200 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor();
  // The two answered customers are done: the owner resolves their conversations.
  const { csrfToken } = (await (await page.request.get(`${server.url}/api/v1/auth/me`)).json()) as {
    csrfToken: string;
  };
  for (const { conversationId } of [hours, ship]) {
    const resolved = await page.request.post(`${server.url}/api/v1/conversations/${conversationId}/status`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { status: 'resolved' },
    });
    expect(resolved.status()).toBe(200);
  }
  await page.getByRole('menuitem', { name: '机器人分析' }).click();
  await expect.poll(() => page.url()).toContain('#/bot/analytics');

  await page.getByTestId('kpi-containment').waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('kpi-handled').textContent()).toContain('5');
  expect(await page.getByTestId('kpi-handoffs').textContent()).toContain('3');
  // Two resolved by the bot alone, three handed off: 2 / 5.
  expect(await page.getByTestId('kpi-containment').textContent()).toContain('40');
  // Both charts drew on their canvases.
  await page.locator('[data-testid="chart-daily"] canvas').waitFor();
  await page.locator('[data-testid="chart-reasons"] canvas').waitFor();
  const rows = page.locator('[data-testid="unanswered-table"] tbody tr.ant-table-row');
  await expect.poll(() => rows.count()).toBeGreaterThan(0);
  const texts = await rows.allTextContents();
  expect(texts.join(' ')).toContain('咕噜咕噜');
  await page.screenshot({
    path: join(repoRoot, 'docs/screenshots/console-bot-analytics.png'),
    fullPage: true,
  });

  // One click pre-fills the FAQ with the group's questions; the owner only writes the answer.
  const groupRow = rows.filter({ hasText: '咕噜咕噜' }).first();
  await groupRow.getByTestId('make-faq').click();
  const question = page.getByTestId('make-faq-question');
  await question.waitFor();
  const asked = await question.inputValue();
  expect(asked).toMatch(/咕噜咕噜/);
  const answer = '咕噜咕噜是我们的暗号：报上暗号，客服送您一张五元优惠券。';
  await page.getByTestId('make-faq-answer').fill(answer);
  await page.getByTestId('make-faq-save').click();
  await expect.poll(() => page.locator('.ant-message').textContent()).toContain('FAQ 已创建');
  await expect.poll(async () => (await rows.allTextContents()).join(' ')).not.toContain('咕噜咕噜');

  // The new FAQ is in the knowledge base, and the bot answers the question with it.
  expect((await say('e2e-after', asked)).reply).toContain('五元优惠券');
});

it('shows the KPIs against their targets', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1500 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.getByRole('menuitem', { name: '经营看板' }).click();
  await expect.poll(() => page.url()).toContain('#/kpis');
  // The two conversations the owner resolved above were the bot's alone: containment 100 %, met.
  const containment = page.getByTestId('kpi-card-containment');
  await expect.poll(() => containment.textContent()).toContain('100.0%');
  expect(await containment.getAttribute('data-status')).toBe('met');
  await containment.click();
  await expect
    .poll(() => page.locator('.ant-card-head-title', { hasText: '每日趋势：AI 独立解决率' }).count())
    .toBe(1);
  await page.locator('[data-testid="kpi-trend"] canvas').waitFor();
  // The number drills down to the conversations behind it, each a link into the inbox.
  await expect.poll(() => page.locator('[data-testid="kpi-behind"] a[href^="#/inbox/"]').count()).toBe(2);
  const csv = await page.request.get(
    `${server.url}${await page.getByTestId('kpi-export-csv').getAttribute('href')}`,
  );
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('total,');
  // Assist has been on from the start here: the before/after card says there is nothing to compare.
  await expect.poll(() => page.getByTestId('assist-impact').textContent()).toContain('智能辅助自始开启');
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/console-kpis.png'), fullPage: true });
  // Narrowed to a channel nobody used, the same card has no data (the filter reaches the server).
  await page.getByTestId('kpi-channel').click();
  await page.locator('.ant-select-item-option', { hasText: 'sms' }).click();
  await expect.poll(() => containment.getAttribute('data-status')).toBe('no_data');
  await ctx.close();
});

it('shows who is waiting and who can take them on the wallboard', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.getByRole('menuitem', { name: '实时大屏' }).click();
  await expect.poll(() => page.url()).toContain('#/wallboard');
  // The customer who asked for a person above is still waiting: nobody was online to take them.
  await expect
    .poll(async () =>
      Number(
        await page.getByTestId('wallboard-waiting').locator('.ant-statistic-content-value').textContent(),
      ),
    )
    .toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('wallboard-longest').textContent()).toMatch(/\d+:\d{2}/);
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/console-wallboard.png'), fullPage: true });
  await ctx.close();
});

it('shows the weekly review inside the console, with its PDF beside it', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.getByRole('menuitem', { name: '每周复盘' }).click();
  await expect.poll(() => page.url()).toContain('#/review');
  const frame = page.frameLocator('[data-testid="weekly-review-frame"]');
  await expect.poll(() => frame.locator('h1').textContent()).toContain('每周复盘');
  expect(await frame.locator('svg').count()).toBeGreaterThan(0);
  const pdf = await page.request.get(
    `${server.url}${await page.getByTestId('weekly-review-pdf').getAttribute('href')}`,
  );
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await ctx.close();
});

it('shows what the bot’s work cost this month and takes a budget', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1300 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.getByRole('menuitem', { name: '成本与预算' }).click();
  await expect.poll(() => page.url()).toContain('#/costs');
  // Every bot turn above was metered at the default 0.05 元.
  const interactions = page.locator('[data-testid="costs-units"] tr', { hasText: '机器人交互' });
  await expect
    .poll(async () => Number((await interactions.locator('td').nth(1).textContent()) ?? 0))
    .toBeGreaterThan(5);
  await page.locator('[data-testid="costs-daily-chart"] canvas').waitFor();
  // Two conversations the bot resolved alone: a cost per resolution and savings at 5 元 each.
  expect(await page.getByTestId('costs-per-resolution').textContent()).toMatch(/\d+\.\d{2}/);
  await page.getByTestId('costs-budget-monthly').fill('2');
  await page.getByTestId('costs-budget-save').click();
  await expect.poll(() => page.getByTestId('costs-page').textContent()).toMatch(/占预算 \d+(\.\d)?%/);
  // Saving scrolled the content pane to the form: back to the top for the picture.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) if (el.scrollTop > 0) el.scrollTop = 0;
  });
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/console-costs.png'), fullPage: true });
  await ctx.close();
});

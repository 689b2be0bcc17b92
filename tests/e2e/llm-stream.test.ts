// A knowledge answer written by an LLM (a local server speaking the chat-completions SSE format) grows in
// the storefront widget piece by piece in real Chromium, is replaced in place by the stored answer, and
// shows its knowledge sources to the agent in the console, never to the visitor.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { type FakeLlm, startFakeLlm } from '../support/fakeLlm.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
  freePort,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

let llm: FakeLlm;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  llm = await startFakeLlm();
  server = await startServer({
    ...serverEnv({ dataDir: tempDataDir(), port: await freePort() }),
    ZHIKE_LLM_BASE_URL: llm.baseUrl,
    ZHIKE_LLM_API_KEY: 'sk-e2e-key',
    ZHIKE_LLM_MODEL: 'qwen-plus',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await llm?.close();
});

const widget = (page: Page, hook: string) => page.locator(`[data-zhike="${hook}"]`);

/** Records every text the widget's streaming bubble shows, as the visitor would have seen it. */
async function watchDrafts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const host = [...document.querySelectorAll('*')].find((e) => e.shadowRoot?.querySelector('[data-zhike]'));
    const root = host?.shadowRoot;
    if (!root) throw new Error('widget not mounted');
    const seen: { id: string | null; text: string }[] = [];
    (window as unknown as { zhikeDrafts: typeof seen }).zhikeDrafts = seen;
    new MutationObserver(() => {
      const draft = root.querySelector('[data-zhike="message"][data-status="streaming"]');
      const text = draft?.querySelector('.bubble')?.textContent ?? null;
      if (draft && text !== null && seen.at(-1)?.text !== text)
        seen.push({ id: draft.getAttribute('data-message-id'), text });
    }).observe(root, { subtree: true, childList: true, characterData: true });
  });
}

it('streams an LLM knowledge answer into the widget and shows its sources to the agent', async () => {
  const pieces = [
    '可以的，',
    '我们可以开具电子普通发票',
    '和增值税专用发票。',
    '确认收货后在订单页申请开票，',
    '电子发票3个工作日内',
    '发到您的邮箱。',
  ];
  const full = pieces.join('');
  llm.script({ kind: 'stream', pieces, delayMs: 250 });

  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/demo`);
  await widget(page, 'launcher').click();
  await expect.poll(() => widget(page, 'panel').isVisible()).toBe(true);
  await watchDrafts(page);

  await widget(page, 'input').fill('可以开发票吗？');
  await widget(page, 'send').click();
  const answer = page.locator('[data-zhike="message"][data-author="bot"][data-status="sent"]');
  await expect
    .poll(() => answer.allTextContents(), { timeout: 30_000 })
    .toContainEqual(expect.stringContaining(full));

  // The visitor saw it grow: several texts, each extending the one before, all under the stored id.
  const drafts = await page.evaluate(
    () => (window as unknown as { zhikeDrafts: { id: string | null; text: string }[] }).zhikeDrafts,
  );
  expect(drafts.length).toBeGreaterThanOrEqual(3);
  for (const [i, d] of drafts.entries()) {
    expect(full.startsWith(d.text)).toBe(true);
    if (i > 0) expect(d.text.length).toBeGreaterThan(drafts[i - 1]?.text.length ?? 0);
  }
  const storedId = await answer.last().getAttribute('data-message-id');
  expect(new Set(drafts.map((d) => d.id))).toEqual(new Set([storedId]));
  // Replaced in place: one bot bubble, no draft left behind, no sources in the widget.
  await expect.poll(() => page.locator('[data-zhike="message"][data-status="streaming"]').count()).toBe(0);
  expect(await page.locator('[data-zhike="message"][data-author="bot"]').count()).toBe(1);
  expect(await widget(page, 'panel').textContent()).not.toContain('来源');
  expect(llm.requests[0]?.headers.authorization).toBe('Bearer sk-e2e-key');

  // The agent sees where the answer came from.
  const agentCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const agent = await agentCtx.newPage();
  await signIn(agent, server.url);
  const item = agent.getByTestId('conversation-item').first();
  await item.waitFor({ timeout: 15_000 });
  await item.click();
  const sources = agent.getByTestId('message-sources');
  await sources.first().waitFor({ timeout: 15_000 });
  expect(await sources.first().textContent()).toMatch(/来源：\[问答\] .*发票/);
  expect(await agent.getByTestId('message-generated').count()).toBe(1);
});

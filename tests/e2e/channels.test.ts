// Channel inboxes in real Chromium: the owner adds a Twilio SMS inbox on 设置 → 渠道 from the form the
// adapter's schema generates, gets its hook URL, sees the Auth Token only as 已设置 when editing, and a test
// send reports the provider's failure in place. A customer's SMS then arrives through the hook (signed as
// Twilio signs it), the bot answers, and the reply's delivery status (waiting to send: this machine cannot
// reach api.twilio.com) shows beside it in the conversation. Saves the README's screenshot of the page.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { chooseOption, clickUntil, signIn } from '../support/pages.ts';
import {
  freePort,
  repoRoot,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

const AUTH_TOKEN = 'e2e-twilio-auth-token-7f3c';
const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
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

/** Twilio's webhook signature: base64 HMAC-SHA1 over the URL and every POST parameter sorted by name. */
function twilioSignature(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', AUTH_TOKEN).update(data).digest('base64');
}

it('adds an SMS inbox from the console, takes a signed SMS and shows the reply’s delivery', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor();
  await page.goto(`${server.url}/#/settings/channels`);
  await page.getByTestId('add-channel').click();

  await chooseOption(page, 'channel-adapter', 'twilio-sms');
  await page.getByTestId('channel-name').fill('门店短信');
  await page.getByTestId('channel-config-accountSid').fill(ACCOUNT);
  await page.getByTestId('channel-config-authToken').fill(AUTH_TOKEN);
  await page.getByTestId('channel-config-from').fill('+15005550006');
  await page.locator('.ant-modal-footer .ant-btn-primary').click();

  const card = page.getByTestId('inbox-card').filter({ hasText: '门店短信' });
  const hookUrl = (await card.getByTestId('hook-url').textContent()) ?? '';
  expect(hookUrl).toMatch(new RegExp(`^${server.url}/hooks/[A-Za-z0-9_-]{32}$`));
  // The secret is never shown, only that it is set.
  await expect.poll(() => card.textContent()).toContain('已设置');
  expect(await page.content()).not.toContain(AUTH_TOKEN);
  await card.getByRole('button', { name: /修改配置/ }).click();
  await expect
    .poll(() => page.getByTestId('channel-config-authToken').getAttribute('placeholder'))
    .toBe('已设置');
  expect(await page.getByTestId('channel-config-authToken').inputValue()).toBe('');
  // Closed for sure before the card is used again: the open modal would take the next click.
  await clickUntil(
    page.locator('.ant-modal-footer .ant-btn-default'),
    async () => (await page.locator('.ant-modal-wrap:visible').count()) === 0,
    'closing the channel config',
  );

  // api.twilio.com is out of reach here: the test send reports that, in place.
  await card.getByTestId('test-send-to').fill('+8613700001234');
  await card.getByRole('button', { name: /发送测试消息/ }).click();
  await expect
    .poll(() => card.getByTestId('test-send-result').textContent(), { timeout: 20_000 })
    .toMatch(/发送失败/);
  await card.screenshot({ path: join(repoRoot, 'docs/screenshots/console-channels.png') });

  // A customer texts in: Twilio's form webhook, signed over the hook URL.
  const params = {
    MessageSid: `SM${'a1b2c3d4'.repeat(4)}`,
    AccountSid: ACCOUNT,
    From: '+8613700001234',
    To: '+15005550006',
    Body: '你好，请问几点发货？',
  };
  const body = new URLSearchParams(params).toString();
  const bad = await fetch(hookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
    body,
  });
  expect(bad.status).toBe(401);
  const res = await fetch(hookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(hookUrl, params),
    },
    body,
  });
  expect(res.status).toBe(200);

  await page.goto(`${server.url}/#/inbox`);
  // The SMS conversation, by its channel icon: the demo shop's own conversations may be newer by then.
  await page
    .getByTestId('conversation-item')
    .filter({ has: page.locator('.zk-channel-sms') })
    .first()
    .click();
  await page.getByText('你好，请问几点发货？').waitFor();
  const reply = page.locator('[data-testid="message"][data-author="bot"]').last();
  await reply.waitFor({ timeout: 20_000 });
  const status = reply.getByTestId('delivery-status');
  // Live: the delivery worker's update reaches the open conversation without a reload.
  const shown = async () => ((await status.count()) > 0 ? status.getAttribute('data-status') : null);
  await expect.poll(shown, { timeout: 30_000 }).toMatch(/queued|failed/);
  // Stored: a fresh load of the conversation shows the same status (wait for the list to render first).
  await page.reload();
  await reply.waitFor();
  await expect.poll(shown).toMatch(/queued|failed/);
  await ctx.close();
}, 120_000);

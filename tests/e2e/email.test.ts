// The email channel in a real server process and real Chromium: the owner adds an email inbox on
// 设置 → 渠道 (the card shows the address mail arrives at), a customer's mail reaches the server's SMTP
// listener over loopback, the bot answers, the answer leaves through a local relay in the customer's
// thread, and the conversation shows the mail and the reply's delivery status.
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { chooseOption, signIn } from '../support/pages.ts';
import {
  freePort,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

const RELAY_PASSWORD = 'e2e-relay-password';
let server: ServerProcess;
let browser: Browser;
let smtpPort: number;
const relayed: Buffer[] = [];
const relay = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _s, cb) {
    if (auth.password === RELAY_PASSWORD) cb(null, { user: auth.username });
    else cb(Object.assign(new Error('Bad login'), { responseCode: 535 }));
  },
  onData(stream, _s, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      relayed.push(Buffer.concat(chunks));
      cb();
    });
  },
});

beforeAll(async () => {
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  smtpPort = await freePort();
  server = await startServer({
    ...serverEnv({ dataDir: tempDataDir(), port: await freePort() }),
    ZHIKE_SMTP_PORT: String(smtpPort),
    ZHIKE_SMTP_HOST: '127.0.0.1',
    ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
});

it('adds an email inbox, takes a customer’s mail over SMTP and answers it in the thread', async () => {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor();
  await page.goto(`${server.url}/#/settings/channels`);
  await page.getByTestId('add-channel').click();
  await chooseOption(page, 'channel-adapter', /· email$/);
  await page.getByTestId('channel-name').fill('客服邮箱');
  await page.getByTestId('channel-config-address').fill('support@shop.example');
  await page.getByTestId('channel-config-displayName').fill('演示小店客服');
  await page.getByTestId('channel-config-smtpHost').fill('127.0.0.1');
  await page.getByLabel('smtpPort').fill(String((relay.server.address() as AddressInfo).port));
  // The relay on this machine offers no STARTTLS: allowed only by turning this on.
  await page.getByLabel('smtpAllowPlaintext').click();
  await page.getByTestId('channel-config-smtpUser').fill('support@shop.example');
  await page.getByTestId('channel-config-smtpPassword').fill(RELAY_PASSWORD);
  await page.locator('.ant-modal-footer .ant-btn-primary').click();

  const card = page.getByTestId('inbox-card').filter({ hasText: '客服邮箱' });
  await expect.poll(() => card.getByTestId('mail-address').textContent()).toBe('support@shop.example');
  expect(await card.getByTestId('hook-url').count()).toBe(0);
  expect(await page.content()).not.toContain(RELAY_PASSWORD);

  await nodemailer
    .createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true })
    .sendMail({
      from: '"韩梅梅" <meimei@customer.example>',
      to: 'support@shop.example',
      subject: '发货时间',
      messageId: '<e2e-1@customer.example>',
      text: '你好，请问几点发货？',
    });

  // The bot's answer goes out through the relay as a reply in the customer's thread.
  await expect.poll(() => relayed.length, { timeout: 30_000 }).toBeGreaterThan(0);
  const reply = relayed[0]!.toString();
  expect(reply).toMatch(/^In-Reply-To: <e2e-1@customer\.example>/im);
  expect(reply).toMatch(/^To: meimei@customer\.example/im);

  await page.goto(`${server.url}/#/inbox`);
  await page.getByTestId('conversation-item').first().click();
  await page.getByText('你好，请问几点发货？').waitFor();
  const answer = page.locator('[data-testid="message"][data-author="bot"]').last();
  await answer.waitFor({ timeout: 20_000 });
  const status = answer.getByTestId('delivery-status');
  // Live: the delivery worker's update reaches the open conversation without a reload.
  const shown = async () => ((await status.count()) > 0 ? status.getAttribute('data-status') : null);
  await expect.poll(shown, { timeout: 30_000 }).toBe('sent');
  // Stored: a fresh load of the conversation shows the same status (wait for the list to render first).
  await page.reload();
  await answer.waitFor();
  await expect.poll(shown).toBe('sent');
  await ctx.close();
}, 120_000);

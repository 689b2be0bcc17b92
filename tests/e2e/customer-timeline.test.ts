// One customer across channels in real Chromium: a signed-in shop visitor identifies on the storefront
// widget (Zhike.identify with the shop's HMAC signature) and writes; later the same phone writes through
// the API channel, vouched for. The agent opens the second conversation and sees ONE timeline with the
// messages of both channels, each tagged with its channel. Saves the README's screenshot of the drawer.
import { createHmac } from 'node:crypto';
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

const WIDGET_TEXT = '我在官网下的单，快递三天没动了';
const API_TEXT = '短信补充：收件人电话没变，还是这个号码';
const PHONE = '13912340000';

let server: ServerProcess;
let browser: Browser;
let key = '';

beforeAll(async () => {
  const env = serverEnv({ dataDir: tempDataDir(), port: await freePort() });
  server = await startServer(env);
  key =
    (await runCli(['api-key', 'create', '--workspace', 'demo'], env)).trim().split('\n').at(-1)?.trim() ?? '';
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The shop's server side: reads the widget inbox's identity secret as the owner. */
async function identitySecret(): Promise<string> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { inboxes } = (await (
    await fetch(`${server.url}/api/v1/inboxes`, { headers: { cookie } })
  ).json()) as {
    inboxes: { id: string; channel: string }[];
  };
  const widget = inboxes.find((i) => i.channel === 'widget');
  const res = await fetch(`${server.url}/api/v1/inboxes/${widget?.id}/identity-secret`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { secret: string }).secret;
}

it('the agent sees one timeline with the widget and the API messages of one customer', async () => {
  const secret = await identitySecret();
  const fields = { name: '韩梅梅', phone: PHONE };
  const canonical = `name=${encodeURIComponent(fields.name)}&phone=${encodeURIComponent(fields.phone)}`;
  const signature = createHmac('sha256', secret).update(canonical).digest('hex');

  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto(`${server.url}/demo`);
  await visitor.waitForFunction(() => window.Zhike !== undefined);
  await visitor.evaluate((identity) => window.Zhike?.identify(identity), { ...fields, signature });
  const widget = (hook: string) => visitor.locator(`[data-zhike="${hook}"]`);
  await widget('launcher').click();
  await widget('input').fill(WIDGET_TEXT);
  await widget('send').click();
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="customer"]').allTextContents())
    .toContainEqual(expect.stringContaining(WIDGET_TEXT));

  // Later: the same phone, vouched for by the shop's system, writes through the API channel.
  const res = await fetch(`${server.url}/api/v1/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      customer: { externalId: 'sms-gateway-7', phone: `+86 ${PHONE}`, verified: true },
      text: API_TEXT,
      messageId: 'e2e-timeline-1',
    }),
  });
  expect(res.status).toBe(200);

  const agent = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })
  ).newPage();
  await signIn(agent, server.url);
  // A fresh shop: its only conversations are this customer's two, either leads to the same timeline.
  const item = agent.getByTestId('conversation-item');
  await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(2);
  await item.first().click();
  const panel = agent.getByTestId('customer-panel');
  await expect
    .poll(() => panel.getByTestId('identity-verified').count(), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await panel.getByTestId('timeline-open').click();
  const timeline = agent.getByTestId('customer-timeline');
  await timeline.waitFor({ timeout: 10_000 });
  const entries = () =>
    timeline
      .getByTestId('timeline-message')
      .evaluateAll((nodes) =>
        nodes.map((n) => ({ channel: n.getAttribute('data-channel'), text: n.textContent ?? '' })),
      );
  await expect
    .poll(entries)
    .toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'widget', text: expect.stringContaining(WIDGET_TEXT) }),
        expect.objectContaining({ channel: 'api', text: expect.stringContaining(API_TEXT) }),
      ]),
    );
  // Oldest first: the widget message comes before the API one.
  const order = (await entries()).map((e) => e.text);
  expect(order.findIndex((t) => t.includes(WIDGET_TEXT))).toBeLessThan(
    order.findIndex((t) => t.includes(API_TEXT)),
  );
  expect(await timeline.textContent()).toContain('2 个会话');
  // The whole window: the conversation and its customer panel behind the open timeline drawer.
  await agent.screenshot({ path: join(repoRoot, 'docs/screenshots/console-customer-timeline.png') });
});

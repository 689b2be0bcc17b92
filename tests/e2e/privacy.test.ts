// Data-subject rights and attachments in real Chromium: a visitor sends a photo from the storefront
// widget, the agent sees it as a thumbnail, records marketing consent, exports the customer's data and
// erases the customer from the customer panel.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { signIn } from '../support/pages.ts';
import {
  ADMIN,
  freePort,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

// A real 1×1 PNG, so the browser can decode what the server decrypts.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const TEXT = '这是收到的商品照片，包装破了';

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

const widget = (page: Page, hook: string) => page.locator(`[data-zhike="${hook}"]`);
const loaded = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((img) => (img as HTMLImageElement).naturalWidth);

it('a visitor’s photo reaches the agent; the agent records consent, exports and erases the customer', async () => {
  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto(`${server.url}/demo`);
  await widget(visitor, 'launcher').click();
  await widget(visitor, 'input').fill(TEXT);
  await widget(visitor, 'send').click();
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="customer"]').allTextContents())
    .toContainEqual(expect.stringContaining(TEXT));
  await widget(visitor, 'file').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PNG });
  // The photo comes back from the visitor's own download URL, decrypted, as a real image.
  await expect.poll(() => widget(visitor, 'photo').count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => loaded(visitor, '[data-zhike="photo"]'), { timeout: 10_000 }).toBe(1);

  const agent = await (
    await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    })
  ).newPage();
  await signIn(agent, server.url);
  const item = agent
    .getByTestId('conversation-item')
    .filter({ hasText: 'parcel.png' })
    .or(agent.getByTestId('conversation-item').first());
  await item.first().waitFor({ timeout: 15_000 });
  await item.first().click();
  await expect.poll(() => agent.getByTestId('attachment-thumb').count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => loaded(agent, '[data-testid="attachment-thumb"]'), { timeout: 10_000 }).toBe(1);

  // The agent answers with a PDF from the reply box; both sides see it.
  await agent.getByTestId('reply-file').setInputFiles({
    name: 'invoice.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
  });
  await expect
    .poll(() => agent.getByTestId('attachment-file').allTextContents(), { timeout: 10_000 })
    .toContainEqual(expect.stringContaining('invoice.pdf'));
  await expect
    .poll(() => visitor.locator('[data-zhike="message"][data-author="agent"] .file').allTextContents(), {
      timeout: 10_000,
    })
    .toContainEqual(expect.stringContaining('invoice.pdf'));

  // Consent: never asked, then granted (with its history).
  const sms = agent.getByTestId('consent-marketing_sms');
  await expect.poll(() => sms.getAttribute('data-status')).toBe('never');
  await sms.getByRole('switch').click();
  await expect.poll(() => sms.getAttribute('data-status')).toBe('granted');

  // Export: a JSON file with everything the visitor said and sent.
  const [download] = await Promise.all([
    agent.waitForEvent('download'),
    agent.getByTestId('customer-export').click(),
  ]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const exported = JSON.parse(readFileSync(path, 'utf8')) as {
    conversations: { messages: { text: string }[] }[];
    attachments: { id: string; name: string }[];
    consents: { status: string }[];
  };
  expect(exported.conversations.flatMap((c) => c.messages.map((m) => m.text))).toContain(TEXT);
  expect(exported.attachments.map((a) => a.name)).toEqual(['parcel.png', 'invoice.pdf']);
  expect(exported.consents.map((c) => c.status)).toEqual(['granted']);

  // Erase: the button stays disabled until the confirm word is typed.
  await agent.getByTestId('customer-erase').click();
  const confirm = agent.getByTestId('erase-confirm');
  await expect.poll(() => confirm.isDisabled()).toBe(true);
  await agent.getByTestId('erase-word').fill('删除');
  await confirm.click();
  await expect.poll(() => agent.getByTestId('customer-privacy').count(), { timeout: 10_000 }).toBe(0);
  await expect.poll(() => agent.getByTestId('customer-erased').count()).toBe(1);
  // Retention: the owner sets how long transcripts are kept on the privacy settings page.
  await agent.goto(`${server.url}/#/settings/privacy`);
  await agent.getByTestId('retention-transcripts').fill('90');
  await agent.getByTestId('retention-save').click();
  await expect
    .poll(
      async () =>
        (
          (await (await agent.request.get(`${server.url}/api/v1/privacy/retention`)).json()) as {
            transcriptsDays: number | null;
          }
        ).transcriptsDays,
    )
    .toBe(90);

  const gone = await agent.request.get(`${server.url}/api/v1/attachments/${exported.attachments[0]?.id}`);
  expect(gone.status()).toBe(404);
  const after = await agent.request.get(`${server.url}/api/v1/conversations?limit=50`);
  const list = (await after.json()) as { conversations: { lastMessage: { text: string } | null }[] };
  expect(list.conversations.some((c) => c.lastMessage?.text === TEXT)).toBe(false);
});

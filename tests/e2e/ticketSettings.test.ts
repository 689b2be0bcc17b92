// Ticket settings and the ticket page's own tools in real Chromium: the owner adds a select field on
// #/settings/tickets, fills it on a ticket through the input the field's kind gets, links an order, and
// merges the ticket into the customer's other one with 合并到…; the API then shows the field's value,
// the order, and the duplicate closed and listed on the survivor.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { chooseOption, signIn } from '../support/pages.ts';
import {
  freePort,
  runCli,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

type Ticket = { id: string; number: string; status: string; mergedIntoId: string | null };

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

const api = async <T>(path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
};

const modalOk = (page: Page) =>
  page.locator('.ant-modal-wrap:visible .ant-modal-footer .ant-btn-primary').click();

it('adds a custom field, fills it on a ticket, links an order and merges a duplicate', async () => {
  const { conversationId } = await api<{ conversationId: string }>('/api/v1/inbound', {
    customer: { externalId: 'e2e-settings' },
    text: '扫地机器人充不上电',
    messageId: 'e2e-settings-1',
  });
  const first = (
    await api<{ ticket: Ticket }>('/api/v1/tickets', { subject: '扫地机器人充不上电', conversationId })
  ).ticket;
  const customerId = (await api<{ ticket: { customerId: string } }>(`/api/v1/tickets/${first.id}`)).ticket
    .customerId;
  const second = (await api<{ ticket: Ticket }>('/api/v1/tickets', { subject: '扫地机不充电', customerId }))
    .ticket;

  const page = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } })
  ).newPage();
  await signIn(page, server.url);
  await page.locator('.zk-sider').waitFor({ timeout: 15_000 });
  await page.goto(`${server.url}/#/settings/tickets`);
  await page.getByTestId('ticket-field-add').click();
  await page.getByTestId('ticket-field-key').fill('channel');
  await page.getByTestId('ticket-field-label').fill('购买渠道');
  await page.getByTestId('ticket-field-label-en').fill('Channel');
  await chooseOption(page, 'ticket-field-kind', '单选');
  const options = page.getByTestId('ticket-field-options').locator('input');
  await options.fill('门店');
  await options.press('Enter');
  await options.fill('线上');
  await options.press('Enter');
  await modalOk(page);
  await expect
    .poll(() => page.getByTestId('ticket-fields').locator('tbody tr.ant-table-row').allTextContents())
    .toContainEqual(expect.stringContaining('门店 / 线上'));

  // The ticket page offers the field with its options.
  await page.goto(`${server.url}/#/tickets/${second.id}`);
  await page.getByTestId('ticket-detail').waitFor({ timeout: 10_000 });
  await page.getByTestId('ticket-custom-fields-edit').click();
  await chooseOption(page, 'ticket-field-channel', '线上');
  await page.getByTestId('ticket-custom-fields-save').click();
  await expect.poll(() => page.getByTestId('ticket-custom-fields').textContent()).toContain('购买渠道线上');

  await page.getByTestId('ticket-orders-edit').click();
  const orders = page.getByTestId('ticket-orders-input').locator('input');
  await orders.fill('zk20261126001');
  await orders.press('Enter');
  await page.getByTestId('ticket-orders-save').click();
  await expect.poll(() => page.getByTestId('ticket-orders').textContent()).toContain('ZK20261126001');

  // The first ticket is the duplicate: merged into the second, the page moves there and lists it.
  await page.goto(`${server.url}/#/tickets/${first.id}`);
  await expect.poll(() => page.getByTestId('ticket-number').textContent()).toBe(first.number);
  await page.getByTestId('ticket-merge').click();
  await chooseOption(page, 'ticket-merge-into', second.number);
  await modalOk(page);
  await expect.poll(() => page.getByTestId('ticket-number').textContent()).toBe(second.number);
  await expect.poll(() => page.getByTestId('ticket-merged').textContent()).toContain(first.number);

  const after = await api<{
    ticket: Ticket & { customFields: Record<string, unknown>; orderNumbers: string[] };
  }>(`/api/v1/tickets/${second.id}`);
  expect(after.ticket.customFields).toEqual({ channel: '线上' });
  expect(after.ticket.orderNumbers).toEqual(['ZK20261126001']);
  const merged = await api<{ ticket: Ticket }>(`/api/v1/tickets/${first.id}`);
  expect(merged.ticket).toMatchObject({ status: 'closed', mergedIntoId: second.id });
});

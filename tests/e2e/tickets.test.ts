// Tickets in real Chromium: a customer reports a broken coffee machine through the API channel and asks
// for a person; the agent opens the conversation, clicks 创建工单 (title guessed from what the customer
// wrote), opens the ticket, sees the similar solved ticket seeded beforehand among the suggested
// solutions, adds an internal note and solves it with a resolution note. The API then shows the ticket
// solved, with the note, linked to the conversation. Saves the README's screenshot of the ticket page.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { type ConsoleSession, consoleApi, login } from '../support/clients.ts';
import { clickUntil, signIn } from '../support/pages.ts';
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

const FAULT = '我买的咖啡机坏了，通电后不加热，指示灯一直闪红灯';
const EARLIER_FIX = '长按电源键 10 秒复位加热模块后恢复正常；仍不加热则寄回检测。';
const RESOLUTION = '指导客户长按电源键 10 秒复位，已恢复加热，客户确认正常。';
const NOTE = '客户在上班，下午 3 点后方便接电话';

type TicketView = { ticket: { id: string; status: string } };
type Detail = {
  ticket: {
    status: string;
    conversationId: string | null;
    customerId: string | null;
    category: string | null;
  };
  entries: { kind: string; body: string | null; data: Record<string, unknown> }[];
};

let server: ServerProcess;
let browser: Browser;
let key = '';
let owner: ConsoleSession;

beforeAll(async () => {
  const env = serverEnv({ dataDir: tempDataDir(), port: await freePort() });
  server = await startServer(env);
  key =
    (await runCli(['api-key', 'create', '--workspace', 'demo'], env)).trim().split('\n').at(-1)?.trim() ?? '';
  browser = await launchBrowser();
  owner = await login(server.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
};

/** One customer message through the API channel; waits until something answered it. */
async function say(text: string, seq: number): Promise<string> {
  const { conversationId, messageId } = await api<{ conversationId: string; messageId: string }>(
    '/api/v1/inbound',
    { body: { customer: { externalId: 'e2e-coffee' }, text, messageId: `e2e-ticket-${seq}` } },
  );
  await expect
    .poll(
      async () => {
        const { messages } = await api<{ messages: { id: string }[] }>(
          `/api/v1/conversations/${conversationId}/messages?limit=200`,
        );
        return messages.findIndex((m) => m.id === messageId) < messages.length - 1;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return conversationId;
}

it('the agent opens a ticket from the conversation, sees a suggested solution and solves it', async () => {
  // An around-the-clock SLA, so the ticket pages show a deadline; an earlier ticket solved the same fault.
  await consoleApi(server.url, owner, '/api/v1/sla/policies', {
    name: '标准',
    conditions: { priority: null, category: null, customerTier: null },
    targets: { first_response: 120, next_response: null, resolution: 1440 },
    businessHours: false,
    escalation: { notifySupervisors: true, raisePriority: false, reassignToUserId: null },
    enabled: true,
  });
  await api('/api/v1/knowledge/faqs', {
    body: {
      question: '咖啡机不加热怎么办',
      similarQuestions: ['咖啡机通电后不加热', '咖啡机指示灯闪红灯'],
      answer: `请先${EARLIER_FIX}`,
      tags: ['售后'],
      enabled: true,
    },
  });
  const earlier = await api<TicketView>('/api/v1/tickets', {
    body: {
      subject: '咖啡机通电不加热，指示灯闪红灯',
      type: 'fault',
      category: '设备故障',
      priority: 'normal',
    },
  });
  await api(`/api/v1/tickets/${earlier.ticket.id}/status`, { body: { status: 'solved', note: EARLIER_FIX } });

  const conversationId = await say(FAULT, 1);
  await say('转人工', 2);

  const agent = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1100 } })
  ).newPage();
  await signIn(agent, server.url);
  const item = agent.getByTestId('conversation-item');
  await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
  await item.first().click();

  await expect
    .poll(() => agent.locator('.zk-conversation-main').getByTestId('message').allTextContents())
    .toContainEqual(expect.stringContaining(FAULT));
  // 创建工单: the title is the customer's description of the fault, not their last message (转人工).
  await agent.getByTestId('create-ticket').click();
  const subject = agent.getByTestId('create-ticket-subject');
  await expect.poll(() => subject.inputValue()).toBe(FAULT);
  await subject.fill('咖啡机通电不加热，指示灯闪红灯');
  await agent.getByTestId('create-ticket-category').fill('设备故障');
  await agent.getByTestId('create-ticket-submit').click();
  const link = agent.getByTestId('conversation-ticket-link');
  await link.waitFor({ timeout: 10_000 });
  await link.click();

  const page = agent.getByTestId('ticket-detail');
  await page.waitFor({ timeout: 10_000 });
  expect(await page.getAttribute('data-status')).toBe('new');
  // The similar solved ticket, with how it was solved.
  const solutions = agent.getByTestId('ticket-solutions');
  await expect
    .poll(() => solutions.locator('[data-testid="ticket-solution"][data-kind="ticket"]').allTextContents())
    .toContainEqual(expect.stringContaining(EARLIER_FIX));
  // The conversation's transcript came with the ticket.
  await expect
    .poll(() => agent.getByTestId('ticket-transcript').getByTestId('message').allTextContents())
    .toContainEqual(expect.stringContaining(FAULT));
  expect(await agent.getByTestId('ticket-conversation-link').getAttribute('href')).toBe(
    `#/inbox/${conversationId}`,
  );

  await agent.getByTestId('ticket-note-input').fill(NOTE);
  await agent.getByTestId('ticket-note-add').click();
  await expect
    .poll(() => agent.locator('[data-testid="ticket-entry"][data-kind="note"]').allTextContents())
    .toContainEqual(expect.stringContaining(NOTE));
  // The first-response clock started with the ticket (its deadline beside the tag).
  await expect.poll(() => page.getByTestId('ticket-sla').first().getAttribute('data-state')).toBe('running');
  // The toasts (ticket created, note added) gone, so the page is seen as it stays.
  await expect.poll(() => agent.locator('.ant-message-notice').count()).toBe(0);
  await agent.screenshot({ path: join(repoRoot, 'docs/screenshots/console-ticket.png') });

  // A new ticket can be accepted, set pending, solved or closed; solving asks how.
  expect(await page.getByTestId('ticket-actions').locator('button').count()).toBe(4);
  await agent.getByTestId('ticket-move-solved').click();
  await agent.getByTestId('ticket-solve-note').fill(RESOLUTION);
  await clickUntil(
    agent.getByTestId('ticket-solve-submit'),
    async () => (await page.getAttribute('data-status')) === 'solved',
    'solving the ticket',
  );

  // The list, from its menu entry: the ticket on top (changed last), solved within its SLA.
  await agent.locator('.zk-sider').getByText('工单', { exact: true }).click();
  const rows = agent.getByTestId('tickets-list').locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.count()).toBe(2);
  expect(await rows.first().getByTestId('ticket-status').getAttribute('data-status')).toBe('solved');
  expect(await rows.first().getByTestId('ticket-sla').getAttribute('data-state')).toBe('met');
  expect(await rows.first().textContent()).toContain('e2e-coffee');

  const { tickets } = await api<{ tickets: { id: string }[] }>(
    `/api/v1/tickets?conversationId=${conversationId}`,
  );
  expect(tickets).toHaveLength(1);
  const detail = await api<Detail>(`/api/v1/tickets/${tickets[0]?.id}`);
  expect(detail.ticket).toMatchObject({ status: 'solved', conversationId, category: '设备故障' });
  expect(detail.ticket.customerId).not.toBeNull();
  expect(detail.entries.find((e) => e.kind === 'status' && e.data.to === 'solved')?.body).toBe(RESOLUTION);
  expect(detail.entries.find((e) => e.kind === 'note')?.body).toBe(NOTE);
  expect(detail.entries.find((e) => e.kind === 'created')?.data.transcriptUpTo).toEqual(expect.any(String));
});

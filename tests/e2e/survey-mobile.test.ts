// The follow-up survey on a phone, in real Chromium: an API-channel conversation resolved through the API
// gets its survey, which the worker sends at once (no delay, no quiet hours) to the shop's webhook like any
// reply; the customer opens its link at a phone's viewport, taps a low score, writes a comment and submits;
// the page thanks them, and the API shows the answer and the follow-up ticket and complaint it opened.
// Saves the README's screenshot of the filled page.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { type ConsoleSession, login } from '../support/clients.ts';
import {
  ADMIN,
  freePort,
  repoRoot,
  type ServerProcess,
  serverEnv,
  startServer,
  tempDataDir,
} from '../support/serverProcess.ts';

let server: ServerProcess;
let browser: Browser;
let session: ConsoleSession;
/** The shop's end of the API channel: the bodies the server delivered to the inbox's webhook. */
let hook: Server;
const delivered: string[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      delivered.push(body);
      res.writeHead(200).end();
    });
  });
  hook.listen(0, '127.0.0.1');
  await once(hook, 'listening');
  server = await startServer({
    ...serverEnv({ dataDir: tempDataDir(), port: await freePort() }),
    ZHIKE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  });
  browser = await launchBrowser();
  session = await login(server.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  hook?.close();
});

async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: unknown,
  bearer?: string,
): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(bearer
        ? { authorization: `Bearer ${bearer}` }
        : { cookie: session.cookie, 'x-csrf-token': session.csrfToken }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Survey {
  id: string;
  conversationId: string | null;
  status: string;
  score: number | null;
  comment: string | null;
  negative: boolean | null;
  complaintId: string | null;
}

const COMMENT = '杯子收到就裂了，等了三天才有人回复';

it('takes a low score and a comment on a phone, thanks the customer and opens the follow-up', async () => {
  await api('PUT', '/api/v1/surveys/settings', {
    enabled: true,
    delayMinutes: 0,
    timeZone: 'Asia/Shanghai',
    quietHours: null,
    minDaysBetween: 0,
    linkTtlHours: 72,
  });
  const { inboxes } = await api<{ inboxes: { id: string; channel: string }[] }>('GET', '/api/v1/inboxes');
  const apiInbox = inboxes.find((i) => i.channel === 'api');
  const address = hook.address();
  if (!apiInbox || address === null || typeof address === 'string') throw new Error('no API inbox or hook');
  await api('PATCH', `/api/v1/inboxes/${apiInbox.id}`, {
    webhookUrl: `http://127.0.0.1:${address.port}/zhike`,
  });
  const { secret } = await api<{ secret: string }>('POST', '/api/v1/api-keys', { name: 'survey e2e' });
  const { conversationId } = await api<{ conversationId: string }>(
    'POST',
    '/api/v1/inbound',
    {
      customer: { externalId: 'survey-phone' },
      text: '收到的杯子有裂缝，怎么处理？',
      messageId: 'survey-phone-1',
    },
    secret,
  );
  await api('POST', `/api/v1/conversations/${conversationId}/status`, { status: 'resolved' });

  // The worker sends the invitation to the shop's webhook; its link is what the customer taps.
  let link = '';
  await expect
    .poll(
      () => {
        link =
          delivered.map((b) => /https?:\/\/[^\s"]+\/s\?t=[A-Za-z0-9_-]{22}/.exec(b)?.[0]).find(Boolean) ?? '';
        return link;
      },
      { timeout: 20_000 },
    )
    .toMatch(/\/s\?t=/);

  const phone = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await phone.newPage();
  await page.goto(link);
  expect(await page.locator('meta[name="viewport"]').getAttribute('content')).toContain('width=device-width');

  // Laid out for the phone: nothing wider than the screen, every tap target at least 44 × 44 CSS px, no
  // label cut off or in small print, and a comment box iOS does not zoom into (16 px).
  const layout = await page.evaluate(() => {
    const box = (el: Element) => el.getBoundingClientRect();
    const targets = [...document.querySelectorAll('.scores label, textarea, button')].map((el) => ({
      what: el.textContent?.trim() || el.tagName,
      width: box(el).width,
      height: box(el).height,
    }));
    const clipped = [...document.querySelectorAll('.scores label, h1, legend, label.comment')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent);
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      smallest: Math.min(
        ...[...document.querySelectorAll('.scores label, legend, label.comment, p')].map((el) =>
          Number.parseFloat(getComputedStyle(el).fontSize),
        ),
      ),
      commentFont: Number.parseFloat(
        getComputedStyle(document.querySelector('textarea') as Element).fontSize,
      ),
      targets,
      clipped,
    };
  });
  expect(layout.overflow).toBeLessThanOrEqual(0);
  expect(layout.clipped).toEqual([]);
  expect(layout.smallest).toBeGreaterThanOrEqual(13);
  expect(layout.commentFont).toBeGreaterThanOrEqual(16);
  for (const t of layout.targets) {
    expect(t.height, t.what).toBeGreaterThanOrEqual(44);
    expect(t.width, t.what).toBeGreaterThanOrEqual(44);
  }

  await page.locator('label[for="score-1"]').tap();
  expect(await page.locator('#score-1').isChecked()).toBe(true);
  await page.locator('textarea[name="comment"]').tap();
  await page.locator('textarea[name="comment"]').fill(COMMENT);
  await page.screenshot({ path: join(repoRoot, 'docs/screenshots/survey-mobile.png'), fullPage: true });

  await page.getByRole('button', { name: '提交评价' }).tap();
  await page.getByRole('heading', { name: '感谢您的评价！' }).waitFor();
  expect(await page.locator('main').textContent()).toContain('我们的客服会尽快与您联系');
  expect((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0).toBe(
    true,
  );

  // The answer, judged by the survey.review job: a follow-up ticket and an open complaint.
  let survey: Survey | undefined;
  await expect
    .poll(
      async () => {
        survey = (await api<{ surveys: Survey[] }>('GET', '/api/v1/surveys')).surveys.find(
          (s) => s.conversationId === conversationId,
        );
        return survey?.complaintId ?? null;
      },
      { timeout: 20_000 },
    )
    .not.toBeNull();
  expect(survey).toMatchObject({ status: 'answered', score: 1, comment: COMMENT, negative: true });
  const { tickets } = await api<{ tickets: { id: string; type: string; conversationId: string | null }[] }>(
    'GET',
    `/api/v1/tickets?conversationId=${conversationId}`,
  );
  const followUp = tickets.find((t) => t.type === 'survey_followup');
  expect(followUp).toBeDefined();
  const { complaints } = await api<{
    complaints: { id: string; ticketId: string | null; source: string; score: number | null }[];
  }>('GET', '/api/v1/complaints?status=open');
  expect(complaints.find((c) => c.id === survey?.complaintId)).toMatchObject({
    source: 'survey',
    score: 1,
    ticketId: followUp?.id,
  });
  await phone.close();
}, 90_000);

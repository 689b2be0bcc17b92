// The built widget.js in real Chromium on the demo page, with HTTP and WebSocket intercepted by
// Playwright routes that speak the widget contract (nothing listens on a port).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  WidgetClientFrame,
  WidgetConfig,
  WidgetMessage,
  WidgetServerFrame,
  WidgetSession,
} from '@zhike/contracts';
import { type Browser, type BrowserContext, chromium, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'http://shop.test';
const widgetDir = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'zhike-widget-browser-'));

/** What the routes play: one inbox, visitors by token, messages stored with clientMessageId dedupe. */
class ContractDouble {
  readonly messages: WidgetMessage[] = [];
  readonly sessionBodies: unknown[] = [];
  readonly frames: WidgetClientFrame[] = [];
  readonly sockets: WebSocketRoute[] = [];
  /** While true, sockets are refused right after opening, like a server that is restarting. */
  down = false;
  /** Sends to reject with an error frame before storing anything. */
  rejectNextSends = 0;
  /** Close codes for the next sockets, one each, right after the upgrade (like WIDGET_CLOSE refusals). */
  closeNextWith: number[] = [];
  /** How long the first session request takes to answer (a slow network on the page's first load). */
  firstSessionDelayMs = 0;
  private seq = 0;
  private visitors = 0;

  message(author: WidgetMessage['author'], text: string, extra: Partial<WidgetMessage> = {}): WidgetMessage {
    this.seq += 1;
    const m: WidgetMessage = {
      id: `01930000-0000-7000-8000-${this.seq.toString(16).padStart(12, '0')}`,
      author,
      authorName: null,
      text,
      createdAt: new Date(Date.now() + this.seq).toISOString(),
      clientMessageId: null,
      ...extra,
    };
    this.messages.push(m);
    return m;
  }

  push(author: WidgetMessage['author'], text: string, extra: Partial<WidgetMessage> = {}): WidgetMessage {
    const m = this.message(author, text, extra);
    for (const ws of this.sockets) send(ws, { type: 'message', conversationId: CONVERSATION, message: m });
    return m;
  }

  async install(context: BrowserContext, html: string, bundle: string): Promise<void> {
    await context.route(`${ORIGIN}/`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await context.route(`${ORIGIN}/widget.js`, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: bundle }),
    );
    await context.route(`${ORIGIN}/api/v1/widget/config?**`, (route) =>
      route.fulfill({ json: CONFIG satisfies WidgetConfig }),
    );
    await context.route(`${ORIGIN}/api/v1/widget/sessions`, async (route) => {
      const body = route.request().postDataJSON() as { visitorToken?: string };
      this.sessionBodies.push(body);
      if (this.sessionBodies.length === 1 && this.firstSessionDelayMs > 0)
        await new Promise((resolve) => setTimeout(resolve, this.firstSessionDelayMs));
      const session: WidgetSession = {
        visitorId: '01930000-0000-7000-8000-0000000000aa',
        visitorToken: body.visitorToken ?? `visitor-token-${++this.visitors}`,
        conversationId: this.messages.length > 0 ? CONVERSATION : null,
        messages: this.messages,
      };
      return route.fulfill({ json: session });
    });
    await context.routeWebSocket(/\/api\/v1\/widget\/ws/, (ws) => {
      if (this.down) {
        void ws.close({ code: 1012 });
        return;
      }
      const refusal = this.closeNextWith.shift();
      if (refusal !== undefined) {
        void ws.close({ code: refusal });
        return;
      }
      this.sockets.push(ws);
      ws.onClose(() => this.sockets.splice(this.sockets.indexOf(ws), 1));
      ws.onMessage((raw) => {
        const frame = JSON.parse(String(raw)) as WidgetClientFrame;
        this.frames.push(frame);
        if (frame.type === 'ping') send(ws, { type: 'pong' });
        if (frame.type === 'sync') {
          const after = this.messages.findIndex((m) => m.id === frame.after);
          send(ws, {
            type: 'history',
            conversationId: CONVERSATION,
            messages: this.messages.slice(after + 1),
            hasMore: false,
          });
        }
        if (frame.type === 'send' && this.rejectNextSends > 0) {
          this.rejectNextSends -= 1;
          send(ws, {
            type: 'error',
            code: 'rate_limited',
            detail: 'slow down',
            clientMessageId: frame.clientMessageId,
          });
          return;
        }
        if (frame.type === 'send') {
          const existing = this.messages.find((m) => m.clientMessageId === frame.clientMessageId);
          const stored =
            existing ?? this.message('customer', frame.text, { clientMessageId: frame.clientMessageId });
          send(ws, {
            type: 'ack',
            clientMessageId: frame.clientMessageId,
            message: stored,
            conversationId: CONVERSATION,
            duplicate: existing !== undefined,
          });
        }
      });
      send(ws, { type: 'ready', visitorId: '01930000-0000-7000-8000-0000000000aa', conversationId: null });
    });
  }
}

const CONVERSATION = '01930000-0000-7000-8000-0000000000c0';
const CONFIG: WidgetConfig = {
  inboxId: '01930000-0000-7000-8000-0000000000b0',
  name: '演示小店',
  greeting: '您好！欢迎光临演示小店，有什么可以帮您？',
  locale: 'zh-CN',
  voiceCalls: false,
};
const send = (ws: WebSocketRoute, frame: WidgetServerFrame) => ws.send(JSON.stringify(frame));
const hook = (page: Page, name: string) => page.locator(`[data-zhike="${name}"]`);
const messages = (page: Page, author?: string) =>
  page.locator(author ? `[data-zhike="message"][data-author="${author}"]` : '[data-zhike="message"]');

let browser: Browser;
/** Uncaught exceptions in any page; every test must end with none. */
let pageErrors: string[] = [];
let bundle: string;
let html: string;

describe.skipIf(!existsSync(CHROMIUM))('widget in Chromium', () => {
  beforeAll(async () => {
    const outfile = join(tmp, 'widget.js');
    const built = spawnSync(process.execPath, ['build.mjs', '--outfile', outfile], { cwd: widgetDir });
    if (built.status !== 0) throw new Error(String(built.stderr));
    bundle = readFileSync(outfile, 'utf8');
    html = readFileSync(join(widgetDir, 'demo/index.html'), 'utf8').replace('{{WIDGET_TOKEN}}', 'demo-token');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterEach(() => {
    const errors = pageErrors;
    pageErrors = [];
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function open(
    options: {
      width?: number;
      height?: number;
      locale?: string;
      prepare?: (server: ContractDouble) => void;
    } = {},
  ) {
    const context = await browser.newContext({
      locale: options.locale ?? 'zh-CN',
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    });
    const server = new ContractDouble();
    options.prepare?.(server);
    await server.install(context, html, bundle);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${ORIGIN}/`);
    await hook(page, 'launcher').waitFor();
    return { context, page, server, dialogs };
  }

  it('renders inside an open shadow root and chats: greeting, Enter to send, Shift+Enter for a newline', async () => {
    const { context, page, server } = await open();
    const inShadow = await page.evaluate(() => {
      const host = document.querySelector('zhike-widget');
      return host?.shadowRoot?.querySelector('[data-zhike="launcher"]') !== null && host?.shadowRoot?.mode;
    });
    expect(inShadow).toBe('open');
    expect(await hook(page, 'panel').isVisible()).toBe(false);
    await hook(page, 'launcher').click();
    expect(await hook(page, 'panel').isVisible()).toBe(true);
    expect(await hook(page, 'panel').getAttribute('role')).toBe('dialog');
    expect(await hook(page, 'panel').textContent()).toContain('演示小店');
    expect(await hook(page, 'greeting').textContent()).toContain(CONFIG.greeting);
    // opening moves focus into the chat
    expect(
      await page.evaluate(() => document.querySelector('zhike-widget')?.shadowRoot?.activeElement?.tagName),
    ).toBe('TEXTAREA');

    await hook(page, 'input').pressSequentially('第一行');
    await hook(page, 'input').press('Shift+Enter');
    await hook(page, 'input').pressSequentially('第二行');
    await hook(page, 'input').press('Enter');
    await expect.poll(() => messages(page, 'customer').count()).toBe(1);
    await expect.poll(() => messages(page, 'customer').getAttribute('data-status')).toBe('sent');
    expect(await messages(page, 'customer').locator('.bubble').textContent()).toBe('第一行\n第二行');
    expect(await hook(page, 'input').inputValue()).toBe('');
    expect(server.frames.filter((f) => f.type === 'send')).toHaveLength(1);

    server.push('agent', '您好，我是客服小王', { authorName: '小王' });
    await expect.poll(() => messages(page, 'agent').textContent()).toContain('小王');
    await hook(page, 'send').click(); // empty input sends nothing
    expect(server.frames.filter((f) => f.type === 'send')).toHaveLength(1);
    await context.close();
  });

  it('shows message text as text, never as markup', async () => {
    const { context, page, server, dialogs } = await open();
    await hook(page, 'launcher').click();
    const attack = '<img src=x onerror=alert(1)>';
    server.push('agent', attack, { authorName: '<b>evil</b>' });
    await hook(page, 'input').fill(attack);
    await hook(page, 'send').click();
    await expect.poll(() => messages(page).count()).toBe(2);
    expect(await messages(page, 'agent').locator('.bubble').textContent()).toBe(attack);
    expect(await messages(page, 'agent').locator('.name').textContent()).toBe('<b>evil</b>');
    expect(await messages(page, 'customer').locator('.bubble').textContent()).toBe(attack);
    expect(await page.locator('zhike-widget img, zhike-widget b').count()).toBe(0);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('counts replies received while closed on the badge, and clears it on open', async () => {
    const { context, page, server } = await open();
    await expect.poll(() => server.sockets.length).toBe(1);
    expect(await hook(page, 'badge').isVisible()).toBe(false);
    server.push('bot', '限时优惠：满 199 包邮');
    server.push('agent', '有问题随时找我', { authorName: '小李' });
    server.push('system', '对话已分配给小李');
    await expect.poll(() => hook(page, 'badge').textContent()).toBe('2');
    expect(await hook(page, 'badge').isVisible()).toBe(true);
    expect(await hook(page, 'launcher').getAttribute('aria-label')).toContain('2 条未读消息');
    await hook(page, 'launcher').click();
    expect(await hook(page, 'badge').isVisible()).toBe(false);
    await page.keyboard.press('Escape');
    expect(await hook(page, 'panel').isVisible()).toBe(false);
    expect(await hook(page, 'badge').isVisible()).toBe(false);
    await context.close();
  });

  it('keeps identity and history across a reload', async () => {
    const { context, page, server } = await open();
    await hook(page, 'launcher').click();
    await hook(page, 'input').fill('我的订单还没到');
    await hook(page, 'input').press('Enter');
    await expect.poll(() => messages(page, 'customer').getAttribute('data-status')).toBe('sent');
    server.push('bot', '请提供订单号');
    await expect.poll(() => messages(page).count()).toBe(2);

    await page.reload();
    await hook(page, 'launcher').click();
    await expect
      .poll(() => messages(page).allTextContents())
      .toEqual([expect.stringContaining('我的订单还没到'), expect.stringContaining('请提供订单号')]);
    expect(server.sessionBodies.at(-1)).toEqual({ inbox: 'demo-token', visitorToken: 'visitor-token-1' });
    expect(await hook(page, 'badge').isVisible()).toBe(false);
    await context.close();
  });

  it('names the visitor of the first session when identify comes while that session is starting', async () => {
    const { context, page, server } = await open({
      prepare: (s) => {
        s.firstSessionDelayMs = 500;
      },
    });
    const identity = { externalId: 'u-42', name: '李雷', signature: 'ab12' };
    await page.evaluate((given) => window.Zhike?.identify(given), identity);
    // One visitor: the identity rides on the first session's token instead of starting a second visitor.
    expect(server.sessionBodies).toEqual([
      { inbox: 'demo-token' },
      { inbox: 'demo-token', visitorToken: 'visitor-token-1', identity },
    ]);
    await context.close();
  });

  it('shows the offline state, queues sends, and delivers them once after reconnecting', async () => {
    const { context, page, server } = await open({ locale: 'en-US' });
    await hook(page, 'launcher').click();
    await expect.poll(() => server.sockets.length).toBe(1);
    server.down = true;
    await server.sockets[0]?.close();
    await expect.poll(() => hook(page, 'status').textContent()).toContain('reconnecting');
    await hook(page, 'input').fill('sent while offline');
    await hook(page, 'input').press('Enter');
    expect(await messages(page, 'customer').getAttribute('data-status')).toBe('sending');
    expect(await messages(page, 'customer').textContent()).toContain('Sending');
    server.down = false;
    await expect
      .poll(() => messages(page, 'customer').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('sent');
    expect(await hook(page, 'status').isVisible()).toBe(false);
    expect(server.messages.filter((m) => m.author === 'customer')).toHaveLength(1);
    expect(await messages(page, 'customer').count()).toBe(1);
    await context.close();
  });

  it('marks a rejected message failed and sends it again on retry', async () => {
    const { context, page, server } = await open();
    await hook(page, 'launcher').click();
    await expect.poll(() => server.sockets.length).toBe(1);
    server.rejectNextSends = 1;
    await hook(page, 'input').fill('能便宜点吗');
    await hook(page, 'input').press('Enter');
    await expect.poll(() => messages(page, 'customer').getAttribute('data-status')).toBe('failed');
    expect(await messages(page, 'customer').textContent()).toContain('发送失败');
    await hook(page, 'retry').click();
    await expect.poll(() => messages(page, 'customer').getAttribute('data-status')).toBe('sent');
    const sends = server.frames.flatMap((f) => (f.type === 'send' ? [f.clientMessageId] : []));
    expect(sends).toHaveLength(2);
    expect(sends[0]).toBe(sends[1]);
    expect(await messages(page).count()).toBe(1);
    await context.close();
  });

  it('becomes a new visitor when the server no longer knows the token (4401), then chats', async () => {
    const { context, page, server } = await open({ prepare: (s) => s.closeNextWith.push(4401) });
    await hook(page, 'launcher').click();
    await expect.poll(() => server.sessionBodies.length).toBe(2);
    expect(server.sessionBodies[1]).not.toHaveProperty('visitorToken');
    await expect.poll(() => server.sockets.length).toBe(1);
    expect(server.sockets[0]?.url()).toContain('visitorToken=visitor-token-2');
    await hook(page, 'input').fill('还在吗');
    await hook(page, 'input').press('Enter');
    await expect.poll(() => messages(page, 'customer').getAttribute('data-status')).toBe('sent');
    await context.close();
  });

  it('says so and stops retrying when the site is not allowed (4403)', async () => {
    const { context, page, server } = await open({ prepare: (s) => s.closeNextWith.push(4403, 4403) });
    await hook(page, 'launcher').click();
    await expect.poll(() => hook(page, 'status').getAttribute('data-state')).toBe('blocked');
    expect(await hook(page, 'status').textContent()).toBe('本网站暂未开通在线客服');
    await page.waitForTimeout(2500);
    expect(server.closeNextWith).toEqual([4403]);
    await context.close();
  });

  it('goes full screen on a phone-sized viewport', async () => {
    const { context, page } = await open({ width: 375, height: 700 });
    await hook(page, 'launcher').click();
    const box = await hook(page, 'panel').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 700 });
    expect(await hook(page, 'launcher').isVisible()).toBe(false);
    await context.close();
  });
});

// Hardening: security headers per route family, and logs that never carry customer data or secrets.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, TEST_ADMIN, type TestApp } from './testing.ts';

async function widgetToken(t: TestApp): Promise<string> {
  const inboxes = await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).inboxes.list();
  const token = inboxes.find((i) => i.channel === 'widget')?.widgetToken;
  if (!token) throw new Error('no widget inbox');
  return token;
}

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { startWorker: false });
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it('sends nosniff and a referrer policy everywhere, and no HSTS over http', async () => {
    for (const url of ['/healthz', '/api/v1/conversations', '/api/nope', '/widget.js', '/', '/demo']) {
      const res = await get(url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('forbids framing the API, the console and the demo page', async () => {
    for (const url of ['/healthz', '/api/v1/conversations', '/api/nope', '/api/openapi.json', '/', '/demo']) {
      const res = await get(url);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    }
  });

  it('leaves the widget script and the widget API embeddable', async () => {
    const inbox = await widgetToken(t);
    const responses = [
      await get('/widget.js'),
      await get(`/api/v1/widget/config?inbox=${inbox}`, { origin: 'http://localhost:3000' }),
      await t.app.inject({ method: 'OPTIONS', url: '/api/v1/widget/sessions' }),
      await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { inbox } }),
    ];
    for (const res of responses) {
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['content-security-policy']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('gives the console HTML a strict CSP, client-side routes included', async () => {
    for (const url of ['/', '/inbox/some-route']) {
      const res = await get(url);
      if (res.statusCode === 503) continue; // console not built
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data:");
      expect(csp).toContain("connect-src 'self' ws://localhost:3000");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-eval');
    }
  });

  it('lets the demo page run only its own scripts and hashed inline handlers', async () => {
    const res = await get('/demo');
    if (res.statusCode === 503) return; // widget not built
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'( 'unsafe-hashes'( 'sha256-[A-Za-z0-9+/=]+')+)?;/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  });

  it('sends HSTS and a wss connect-src when the public URL is https', async () => {
    const https = await createTestApp('sqlite', {
      startWorker: false,
      env: { ZHIKE_PUBLIC_URL: 'https://chat.example.cn' },
    });
    try {
      for (const url of ['/healthz', '/widget.js', '/']) {
        const res = await https.app.inject({ url });
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
      }
      const page = await https.app.inject({ url: '/' });
      if (page.statusCode === 200)
        expect(page.headers['content-security-policy']).toContain("connect-src 'self' wss://chat.example.cn");
    } finally {
      await https.close();
    }
  });
});

describe('logs', () => {
  const lines: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    t = await createTestApp('sqlite', { logger });
  });
  afterAll(async () => t?.close());

  it('never contain customer data, message text, tokens or API keys, even at trace level', async () => {
    const name = '李雷';
    const phone = '13912345678';
    const email = 'li.lei@example.com';
    const key = await t.apiKey();
    const headers = { authorization: `Bearer ${key}` };
    for (const [i, text] of [
      `我是${name}，电话 ${phone}，邮箱 ${email}，订单有问题`,
      `再说一遍：${phone} / ${email}`,
    ].entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/inbound',
        headers,
        payload: { customer: { externalId: 'cust-li', name, phone, email }, text, messageId: `m-${i}` },
      });
      expect(res.statusCode).toBe(200);
    }
    // A bad request echoes nothing of its body into the logs either.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers,
      payload: { customer: { externalId: 'cust-li', phone: phone.repeat(20) }, text: email },
    });
    const failed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: phone },
    });
    expect(failed.statusCode).toBe(401);

    const inbox = await widgetToken(t);
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inbox, name },
    });
    const { visitorToken } = session.json() as { visitorToken: string };
    expect(visitorToken).toBeTruthy();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/widget/sessions',
      payload: { inbox, visitorToken },
    });

    const owner = await t.login();
    const list = await t.app.inject({ url: '/api/v1/conversations', headers: { cookie: owner.cookie } });
    expect(list.statusCode).toBe(200);
    const conversationId = (list.json() as { conversations: { id: string }[] }).conversations[0]?.id;
    expect(conversationId).toBeTruthy();
    const messages = await t.app.inject({
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: { cookie: owner.cookie },
    });
    expect(messages.body).toContain(phone); // the owner may see it; the logs may not
    // Let the bot answer so the job worker's logging is exercised too.
    await eventually(async () => {
      const res = await t.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: { cookie: owner.cookie },
      });
      return res.body.includes('"bot"') || undefined;
    }, 15_000);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5); // the capture works
    for (const secret of [
      name,
      phone,
      email,
      'li.lei',
      key,
      visitorToken,
      owner.csrf,
      owner.cookie.split('=')[1] ?? owner.cookie,
      TEST_ADMIN.password,
    ]) {
      expect(log, secret).not.toContain(secret);
    }
  }, 30_000);
});

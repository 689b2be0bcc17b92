// The weekly review mailed to the owners on Monday, over real SMTP on loopback: the worker's upkeep
// enqueues last week's mailing from Monday's hour in the shop's zone, the job prints the review (PDF where
// Chromium is installed, the HTML page where it is not) and sends it through the shop's e-mail inbox, once
// per week however often the upkeep runs; an empty week is skipped, the switch turns it off, "send now"
// sends again, and a shop without an e-mail inbox or with a refusing relay is told why. SQLite and
// PostgreSQL.
import type { AddressInfo } from 'node:net';
import type { ReviewMailing, ReviewMailState } from '@zhike/contracts';
import { type Backend, testBackends } from '@zhike/db';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, simulatedClock } from './demo/history.ts';
import { scheduleReviewMailings } from './reviews/mailing.ts';
import { createPdfPrinter } from './reviews/pdf.ts';
import { createTestApp, TEST_ADMIN, type TestApp, type TestSession } from './testing.ts';

const END = Date.parse('2026-06-08T16:00:00.000Z'); // Tuesday 9 June, midnight in Shanghai
const at = (iso: string) => Date.parse(iso);

/** The shop's relay: keeps each mail; refuses the next ones with the code it is told. */
async function startRelay() {
  const state = { mails: [] as { to: string[]; raw: Buffer }[], refuse: [] as number[] };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_a, _s, cb) {
      const code = state.refuse.shift();
      if (code) return cb(Object.assign(new Error(`Refused (${code})`), { responseCode: code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testBackends)('the weekly review by e-mail on %s', (backend: Backend) => {
  let t: TestApp;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let owner: TestSession;
  let inboxId: string;
  const clock = simulatedClock(END - 9 * 86_400_000);
  const drain = async () => {
    for (let i = 0; i < 20; i++) if ((await t.app.zhike.worker.runDue()) === 0) return;
  };
  const schedule = () => scheduleReviewMailings(t.app.zhike);
  const state = async () => {
    const res = await t.app.inject({ url: '/api/v1/reviews/mail', headers: owner.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ReviewMailState;
  };
  /** A new day: the session from before has expired. */
  const moveTo = async (iso: string) => {
    clock.set(at(iso));
    owner = await t.login();
  };

  beforeAll(async () => {
    relay = await startRelay();
    t = await createTestApp(backend, {
      clock,
      startWorker: false,
      env: { ZHIKE_CHANNEL_ALLOW_HOSTS: 'localhost' },
    });
    // PostgreSQL's run shows the fallback for a machine without Chromium: the page itself is attached.
    if (backend === 'postgres') {
      await t.app.zhike.pdf.close();
      t.app.zhike.pdf = createPdfPrinter(null);
    }
    await generateHistory(t.app.zhike, clock, {
      workspaceId: await t.demoWorkspaceId(),
      days: 9,
      perDay: 5,
      end: new Date(END),
      seed: 11,
    });
    owner = await t.login();
    // Before there is an inbox to send from, nothing can go out and the console says so.
    expect((await state()).sender).toBeNull();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '邮件客服',
        adapter: 'email',
        config: {
          address: 'support@shop.example',
          displayName: '演示小店客服',
          smtpHost: 'localhost',
          smtpPort: relay.port,
          smtpSecure: false,
          smtpAllowPlaintext: true,
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = (res.json() as { id: string }).id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('mails last week’s review to the owner once, with the review attached', async () => {
    expect(await schedule()).toBe(1);
    await drain();
    expect(relay.state.mails).toHaveLength(1);
    const mail = relay.state.mails[0]!;
    expect(mail.to).toEqual([TEST_ADMIN.email]);
    const raw = mail.raw.toString();
    // Started by us, not a reply: responders stay quiet (RFC 3834).
    expect(raw).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toMatch(/每周复盘 2026-06-01 至 2026-06-07$/);
    expect(parsed.from?.value[0]?.address).toBe('support@shop.example');
    const text = parsed.text ?? '';
    expect(text).toContain('核心指标与目标');
    expect(text).toMatch(/AI 独立解决率：\d+\.\d%（目标 ≥ 70\.0%，(达标|接近|未达标)）/);
    expect(text).toMatch(/本周会话 \d+ 个/);
    expect(text).toContain('/#/review/2026-06-01');
    expect(parsed.attachments).toHaveLength(1);
    const attachment = parsed.attachments[0]!;
    if (backend === 'sqlite') {
      expect(attachment).toMatchObject({
        filename: 'weekly-review-2026-06-01.pdf',
        contentType: 'application/pdf',
      });
      expect(attachment.content.subarray(0, 5).toString()).toBe('%PDF-');
      expect(attachment.content.length).toBeGreaterThan(20_000);
    } else {
      expect(attachment).toMatchObject({
        filename: 'weekly-review-2026-06-01.html',
        contentType: 'text/html',
      });
      const html = attachment.content.toString('utf8');
      expect(html).toContain('每周复盘');
      expect(html).toContain('<svg');
    }

    // The upkeep runs every hour, on every process: the week is not mailed again.
    expect(await schedule()).toBe(0);
    await moveTo(new Date(END + 3_600_000).toISOString());
    expect(await schedule()).toBe(0);
    await drain();
    expect(relay.state.mails).toHaveLength(1);
    const s = await state();
    expect(s.sender).toEqual({ inboxId, name: '邮件客服', address: 'support@shop.example' });
    expect(s.recipients).toEqual([expect.objectContaining({ email: TEST_ADMIN.email })]);
    expect(s.dueWeek).toBe('2026-06-01');
    expect(s.mailings).toEqual([
      expect.objectContaining({ week: '2026-06-01', status: 'sent', recipients: 1, detail: null }),
    ]);
    // Each e-mail is metered like any other.
    const usage = await t.app.zhike.db
      .forWorkspace(await t.demoWorkspaceId())
      .costs.list('2026-06-08', '2026-06-09');
    expect(usage.find((u) => u.unit === 'email')?.quantity).toBe(1);
  });

  it('waits for Monday’s hour in the shop’s zone, then mails the week after', async () => {
    await moveTo('2026-06-14T23:30:00.000Z'); // Monday 07:30 in Shanghai
    expect(await schedule()).toBe(0);
    clock.set(at('2026-06-15T00:00:00.000Z')); // 08:00
    expect(await schedule()).toBe(1);
    await drain();
    expect(relay.state.mails).toHaveLength(2);
    expect(relay.state.mails[1]!.raw.toString()).toContain('2026-06-08');
  });

  it('skips a week nothing happened in, and stops when turned off', async () => {
    await moveTo('2026-06-22T02:00:00.000Z');
    expect(await schedule()).toBe(1);
    await drain();
    expect(relay.state.mails).toHaveLength(2);
    expect((await state()).mailings[0]).toMatchObject({
      week: '2026-06-15',
      status: 'skipped',
      detail: 'no_conversations',
    });

    const off = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/reviews/mail',
      headers: owner.headers,
      payload: { enabled: false, sendHour: 9, includeAdmins: true },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((off.json() as ReviewMailState).settings).toEqual({
      enabled: false,
      sendHour: 9,
      includeAdmins: true,
    });
    await moveTo('2026-06-29T02:00:00.000Z');
    expect(await schedule()).toBe(0);
    expect((await state()).dueWeek).toBeNull();
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/reviews/mail',
      headers: owner.headers,
      payload: { enabled: true, sendHour: 24, includeAdmins: false },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('sends a week again on request, and says why it cannot', async () => {
    const send = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/reviews/weekly/email', headers: owner.headers, payload });
    const again = await send({ from: '2026-06-01' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json() as ReviewMailing).toMatchObject({
      week: '2026-06-01',
      status: 'sent',
      recipients: 1,
    });
    expect(relay.state.mails).toHaveLength(3);
    expect((await send({ from: '2026-06-02' })).statusCode).toBe(400); // not a Monday

    // The relay says "later": nothing is recorded as sent, the owner is told to try again.
    relay.state.refuse.push(451);
    const later = await send({ from: '2026-06-08' });
    expect(later.statusCode, later.body).toBe(503);
    // The relay refuses for good: recorded with its words.
    relay.state.refuse.push(550);
    const refused = await send({ from: '2026-06-08' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json() as ReviewMailing).toMatchObject({ status: 'failed', recipients: 0 });
    expect((refused.json() as ReviewMailing).detail).toContain('550');

    // Without an e-mail inbox it cannot go out at all.
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inboxId}`,
      headers: owner.headers,
      payload: { enabled: false },
    });
    expect(disable.statusCode, disable.body).toBe(200);
    const none = await send({});
    expect(none.json() as ReviewMailing).toMatchObject({ status: 'failed', detail: 'no_email_inbox' });
    expect(relay.state.mails).toHaveLength(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asInboundRequest } from '../../../../tests/support/fakeProviders/server.ts';
import { type FakeTwilio, startFakeTwilio } from '../../../../tests/support/fakeProviders/twilio.ts';
import { type AdapterContext, InboundParseError, PermanentSendFailure } from '../adapter.ts';
import { adapterFor } from '../registry.ts';
import { type TwilioSmsConfig, twilioSms } from './twilio.ts';

const HOOK = 'https://zhike.example.com/hooks/01JHOOKTWILIO';

describe('twilio-sms', () => {
  let fake: FakeTwilio;
  let ctx: AdapterContext<TwilioSmsConfig>;
  beforeAll(async () => {
    fake = await startFakeTwilio();
    ctx = {
      config: {
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: fake.number,
        statusCallbackUrl: HOOK,
        baseUrl: fake.baseUrl,
      },
      http: (url, init) => fetch(url, init),
      now: () => new Date(),
    };
  });
  afterAll(() => fake.close());

  it('is registered under its id', () => {
    expect(adapterFor('twilio-sms')).toBe(twilioSms);
  });

  it('verifies X-Twilio-Signature and refuses a forged, replayed-elsewhere, tampered or missing one', () => {
    const inbound = asInboundRequest(fake.inboundMessage(HOOK, { from: '+8613800138000', body: 'Hi there' }));
    expect(twilioSms.verifyInbound?.(ctx, inbound)).toBe(true);
    expect(twilioSms.verifyInbound?.(ctx, { ...inbound, url: `${HOOK}x` })).toBe(false);
    expect(
      twilioSms.verifyInbound?.(ctx, { ...inbound, rawBody: Buffer.from(`${inbound.rawBody}&Body=extra`) }),
    ).toBe(false);
    expect(twilioSms.verifyInbound?.(ctx, { ...inbound, headers: {} })).toBe(false);
    expect(twilioSms.verifyInbound?.(ctx, { ...inbound, headers: { 'x-twilio-signature': 'AAAA' } })).toBe(
      false,
    );
    expect(
      twilioSms.verifyInbound?.({ ...ctx, config: { ...ctx.config, authToken: 'f'.repeat(32) } }, inbound),
    ).toBe(false);
    expect(
      twilioSms.verifyInbound?.(ctx, { ...inbound, rawBody: Buffer.from([0xff, 0xfe, 0x00, 0x25]) }),
    ).toBe(false);
    expect(twilioSms.verifyInbound?.(ctx, { ...inbound, method: 'GET' })).toBe(false);
  });

  it('reads an inbound message and answers with empty TwiML', async () => {
    const webhook = fake.inboundMessage(HOOK, {
      from: '+8613800138000',
      body: 'Where is my order?',
      sid: 'SM0001',
    });
    const parsed = await twilioSms.parseInbound?.(ctx, asInboundRequest(webhook));
    expect(parsed?.events).toEqual([
      {
        kind: 'message',
        providerMessageId: 'SM0001',
        identity: { kind: 'phone', value: '+8613800138000', verified: true },
        profile: { phone: '+8613800138000' },
        text: 'Where is my order?',
        meta: { to: fake.number, numMedia: '0', fromPlace: 'CN' },
      },
    ]);
    expect(parsed?.answer).toEqual({
      status: 200,
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    });
  });

  it('maps StatusCallback states', async () => {
    const cases: [string, string, string | undefined][] = [
      ['queued', 'queued', undefined],
      ['sent', 'sent', undefined],
      ['delivered', 'delivered', undefined],
      ['read', 'read', undefined],
      ['undelivered', 'failed', '30003'],
      ['failed', 'failed', '30008'],
    ];
    for (const [twilioStatus, ours, errorCode] of cases) {
      const webhook = fake.statusCallback(HOOK, {
        sid: 'SM9',
        to: '+8613800138000',
        status: twilioStatus,
        ...(errorCode ? { errorCode } : {}),
      });
      const request = asInboundRequest(webhook);
      expect(twilioSms.verifyInbound?.(ctx, request)).toBe(true);
      const [event] = (await twilioSms.parseInbound?.(ctx, request))?.events ?? [];
      expect(event).toEqual({
        kind: 'status',
        providerMessageId: 'SM9',
        status: ours,
        ...(errorCode ? { error: `Twilio error ${errorCode}` } : {}),
      });
    }
  });

  it('refuses bodies it cannot read with InboundParseError', async () => {
    for (const body of ['', 'Body=hi', 'MessageSid=SM1&From=nobody', 'MessageSid=SM1&MessageStatus=weird']) {
      const request = {
        ...asInboundRequest(fake.inboundMessage(HOOK, { from: '+1', body: '' })),
        rawBody: Buffer.from(body),
      };
      await expect(async () => twilioSms.parseInbound?.(ctx, request)).rejects.toBeInstanceOf(
        InboundParseError,
      );
    }
  });

  it('sends with Basic auth (Auth Token or API key), From and StatusCallback', async () => {
    const result = await twilioSms.send(ctx, {
      to: '+8613800138000',
      text: 'Your parcel left Shenzhen',
      idempotencyKey: 'o1',
    });
    expect(fake.sent.at(-1)).toMatchObject({
      sid: result.providerMessageId,
      to: '+8613800138000',
      from: fake.number,
      body: 'Your parcel left Shenzhen',
      statusCallback: HOOK,
      authenticatedAs: fake.accountSid,
    });
    expect(result.status).toBe('sent');
    const keyed = {
      ...ctx,
      config: { ...ctx.config, apiKeySid: fake.apiKeySid, apiKeySecret: fake.apiKeySecret },
    };
    await twilioSms.send(keyed, { to: '+14155550199', text: 'hi', idempotencyKey: 'o2' });
    expect(fake.sent.at(-1)?.authenticatedAs).toBe(fake.apiKeySid);
  });

  it('gives up for good on bad credentials, a bad number or a From the account does not own', async () => {
    const cases: [Partial<TwilioSmsConfig>, string, number][] = [
      [{ authToken: 'f'.repeat(32) }, '+8613800138000', 20003],
      [{ from: '+14155550999' }, '+8613800138000', 21606],
      [{}, '+15005550001', 21211],
    ];
    for (const [override, to, code] of cases) {
      const error = await twilioSms
        .send({ ...ctx, config: { ...ctx.config, ...override } }, { to, text: 'hi', idempotencyKey: 'k' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentSendFailure);
      expect(String(error)).toContain(String(code));
      expect(fake.refused.at(-1)).toBe(code);
    }
    await expect(
      twilioSms.send(ctx, { to: '13800138000', text: 'x', idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(PermanentSendFailure);
  });

  it('throws a retryable error on 429 and 500, then sends', async () => {
    fake.failNext(1, 'throttle');
    fake.failNext(1, 'server');
    const before = fake.sent.length;
    for (const code of ['20429', '20500']) {
      const error = await twilioSms
        .send(ctx, { to: '+8613800138000', text: 'hi', idempotencyKey: 'r' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentSendFailure);
      expect(String(error)).toContain(code);
    }
    await twilioSms.send(ctx, { to: '+8613800138000', text: 'hi', idempotencyKey: 'r' });
    expect(fake.sent.length).toBe(before + 1);
  });
});

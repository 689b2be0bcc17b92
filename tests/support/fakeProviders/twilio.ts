// A local Twilio REST API for Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP
// Basic auth (Account SID + Auth Token, or API key SID + secret), answering with Twilio's real error
// bodies (20003 authenticate, 21211 invalid To, 21602 no body, 21606 From not ours, 20429, 20500). It
// builds inbound-message and StatusCallback webhooks signed with X-Twilio-Signature as Twilio signs them.
import { createHmac, randomBytes } from 'node:crypto';
import {
  type FakeServer,
  type ReceivedRequest,
  startVendorServer,
  type VendorAnswer,
  type VendorWebhook,
} from './server.ts';

export interface TwilioSent {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  /** Which credential authenticated the request. */
  authenticatedAs: string;
}

export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** The number the account owns. */
  number: string;
  sent: TwilioSent[];
  refused: number[];
  /** The next `count` authenticated sends get 429/20429 (`throttle`) or 500/20500 (`server`). */
  failNext(count: number, kind: 'throttle' | 'server'): void;
  inboundMessage(hookUrl: string, message: { from: string; body: string; sid?: string }): VendorWebhook;
  statusCallback(
    hookUrl: string,
    update: { sid: string; to: string; status: string; errorCode?: string },
  ): VendorWebhook;
  close(): Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const apiKeySid = `SK${hex(16)}`;
  const apiKeySecret = hex(16);
  const number = '+14155550100';
  const sent: TwilioSent[] = [];
  const refused: number[] = [];
  let failures: ('throttle' | 'server')[] = [];

  const error = (status: number, code: number, message: string): VendorAnswer => {
    refused.push(code);
    return {
      status,
      body: JSON.stringify({
        code,
        message,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      }),
    };
  };

  function handle(request: ReceivedRequest): VendorAnswer {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.path);
    if (!match || request.method !== 'POST') return error(404, 20404, 'The requested resource was not found');
    const auth = String(request.headers.authorization ?? '');
    const [user, password] = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')
      : [];
    const authenticated =
      (user === accountSid && password === authToken) || (user === apiKeySid && password === apiKeySecret);
    if (!authenticated || match[1] !== accountSid) return error(401, 20003, 'Authenticate');
    const failure = failures.shift();
    if (failure === 'throttle') return error(429, 20429, 'Too Many Requests');
    if (failure === 'server') return error(500, 20500, 'Internal Server Error');
    const form = new URLSearchParams(request.body.toString('utf8'));
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const from = form.get('From') ?? (form.get('MessagingServiceSid') ? number : '');
    // +15005550001 is the number Twilio's test credentials document as invalid.
    if (!/^\+[1-9]\d{6,14}$/.test(to) || to === '+15005550001')
      return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!body) return error(400, 21602, 'Message body is required.');
    if ([...body].length > 1600)
      return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (from !== number) {
      return error(
        400,
        21606,
        `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
    }
    const sid = `SM${hex(16)}`;
    const statusCallback = form.get('StatusCallback') ?? undefined;
    sent.push({
      sid,
      to,
      from,
      body,
      ...(statusCallback ? { statusCallback } : {}),
      authenticatedAs: user ?? '',
    });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      body: JSON.stringify({
        account_sid: accountSid,
        api_version: '2010-04-01',
        body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: form.get('MessagingServiceSid'),
        num_media: '0',
        num_segments: String(Math.ceil([...body].length / 153) || 1),
        price: null,
        price_unit: 'USD',
        sid,
        status: 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
        to,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      }),
    };
  }

  // Written apart from the adapter's verifier on purpose: URL, then name+value sorted by name.
  const sign = (url: string, params: [string, string][]) =>
    createHmac('sha1', authToken)
      .update(
        url +
          [...params]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, v]) => k + v)
            .join(''),
      )
      .digest('base64');
  const webhook = (hookUrl: string, params: [string, string][]): VendorWebhook => ({
    method: 'POST',
    url: hookUrl,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': sign(hookUrl, params),
      'i-twilio-idempotency-token': hex(16),
    },
    body: new URLSearchParams(params).toString(),
  });

  const server: FakeServer = await startVendorServer(handle);
  return {
    baseUrl: server.baseUrl,
    accountSid,
    authToken,
    apiKeySid,
    apiKeySecret,
    number,
    sent,
    refused,
    failNext(count, kind) {
      failures = [...failures, ...Array.from({ length: count }, () => kind)];
    },
    inboundMessage(hookUrl, message) {
      const sid = message.sid ?? `SM${hex(16)}`;
      return webhook(hookUrl, [
        ['ToCountry', 'US'],
        ['ToState', 'CA'],
        ['SmsMessageSid', sid],
        ['NumMedia', '0'],
        ['ToCity', 'SAN FRANCISCO'],
        ['FromZip', ''],
        ['SmsSid', sid],
        ['FromState', ''],
        ['SmsStatus', 'received'],
        ['FromCity', ''],
        ['Body', message.body],
        ['FromCountry', message.from.startsWith('+86') ? 'CN' : 'US'],
        ['To', number],
        ['ToZip', '94105'],
        ['NumSegments', '1'],
        ['MessageSid', sid],
        ['AccountSid', accountSid],
        ['From', message.from],
        ['ApiVersion', '2010-04-01'],
      ]);
    },
    statusCallback(hookUrl, update) {
      return webhook(hookUrl, [
        ['SmsSid', update.sid],
        ['SmsStatus', update.status],
        ['MessageStatus', update.status],
        ['To', update.to],
        ['MessageSid', update.sid],
        ['AccountSid', accountSid],
        ['From', number],
        ['ApiVersion', '2010-04-01'],
        ...(update.errorCode ? ([['ErrorCode', update.errorCode]] as [string, string][]) : []),
      ]);
    },
    close: () => server.close(),
  };
}

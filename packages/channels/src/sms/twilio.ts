// Twilio Programmable Messaging. Outbound: POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
// form-encoded, HTTP Basic auth (AccountSid:AuthToken, or an API key SID:secret). Inbound: the number's
// "A message comes in" webhook and the StatusCallback, both form-encoded and signed with
// X-Twilio-Signature (HMAC-SHA1 keyed with the Auth Token); an inbound message is answered with empty TwiML.
import Type from 'typebox';
import {
  type AdapterContext,
  type ChannelAdapter,
  type DeliveryState,
  type InboundEvent,
  type InboundHttpRequest,
  InboundParseError,
  PermanentSendFailure,
} from '../adapter.ts';
import { phoneIdentity, toE164 } from './phone.ts';
import { HttpsUrl, isRecord, readJson, str } from './shared.ts';
import { type FormParams, verifyTwilioSignature } from './twilioSignature.ts';

export const TwilioSmsConfig = Type.Object(
  {
    accountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
    authToken: Type.String({
      minLength: 16,
      maxLength: 128,
      description: 'Signs every webhook Twilio sends',
    }),
    apiKeySid: Type.Optional(Type.String({ pattern: '^SK[0-9a-fA-F]{32}$' })),
    apiKeySecret: Type.Optional(Type.String({ minLength: 16, maxLength: 128 })),
    from: Type.Optional(
      Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'Sending number, E.164' }),
    ),
    messagingServiceSid: Type.Optional(Type.String({ pattern: '^MG[0-9a-fA-F]{32}$' })),
    statusCallbackUrl: Type.Optional({
      ...HttpsUrl,
      description: "The inbox's hook URL, so Twilio reports delivery status there",
    }),
    baseUrl: Type.Optional({ ...HttpsUrl, description: 'Default https://api.twilio.com' }),
  },
  { additionalProperties: false },
);
export type TwilioSmsConfig = Type.Static<typeof TwilioSmsConfig>;

const DEFAULT_BASE_URL = 'https://api.twilio.com';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const STATUS: Readonly<Record<string, DeliveryState>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Own keys only: a status named "__proto__" or "constructor" is not a status. */
const stateOf = (status: string | undefined): DeliveryState | undefined =>
  status !== undefined && Object.hasOwn(STATUS, status) ? STATUS[status] : undefined;

/**
 * Twilio error codes (https://www.twilio.com/docs/api/errors) that a later attempt can get past: rate
 * limits and queue overflow. Anything else in a 4xx (bad number, unsubscribed recipient, unverified
 * sender, bad credentials) is final.
 */
const RETRYABLE_CODES = new Set([20429, 14107, 30001, 20500, 20503]);

function formParams(request: InboundHttpRequest): FormParams | null {
  try {
    return [...new URLSearchParams(request.rawBody.toString('utf8')).entries()];
  } catch {
    return null;
  }
}

const first = (params: FormParams, name: string) => params.find(([key]) => key === name)?.[1];

export const twilioSms: ChannelAdapter<TwilioSmsConfig> = {
  id: 'twilio-sms',
  channel: 'sms',
  configSchema: TwilioSmsConfig,
  secretFields: ['authToken', 'apiKeySecret'],
  capabilities: {
    // Twilio's limit for one Body; longer text is refused (error 21617), not split.
    maxTextLength: 1600,
    attachments: false,
    deliveryStatus: true,
    passiveReply: false,
  },

  verifyInbound(ctx, request) {
    if (request.method !== 'POST') return false;
    const params = formParams(request);
    if (!params) return false;
    return verifyTwilioSignature(
      ctx.config.authToken,
      request.url,
      params,
      request.headers['x-twilio-signature'],
    );
  },

  parseInbound(_ctx, request) {
    const params = formParams(request);
    const sid = params ? (first(params, 'MessageSid') ?? first(params, 'SmsSid')) : undefined;
    if (!params || !sid) throw new InboundParseError('twilio-sms: no MessageSid in the webhook');
    const answer = { status: 200, contentType: 'text/xml', body: EMPTY_TWIML };
    const status = first(params, 'MessageStatus') ?? first(params, 'SmsStatus');
    const events: InboundEvent[] = [];
    // A message to our number arrives with status "received" (or none at all); anything else is a
    // StatusCallback about one we sent.
    if (status === undefined || status === 'received' || status === 'receiving') {
      const from = first(params, 'From');
      const phone = from ? phoneIdentity(from) : null;
      if (!phone) throw new InboundParseError('twilio-sms: the sender is not a phone number');
      const name = [first(params, 'FromCity'), first(params, 'FromCountry')].filter(Boolean).join(', ');
      events.push({
        kind: 'message',
        providerMessageId: sid,
        identity: { kind: 'phone', value: phone, verified: true },
        profile: { phone },
        text: first(params, 'Body') ?? '',
        meta: {
          to: first(params, 'To') ?? '',
          numMedia: first(params, 'NumMedia') ?? '0',
          ...(name ? { fromPlace: name } : {}),
        },
      });
      return { events, answer };
    }
    const state = stateOf(status);
    if (!state) throw new InboundParseError(`twilio-sms: unknown message status ${status.slice(0, 32)}`);
    const errorCode = first(params, 'ErrorCode');
    events.push({
      kind: 'status',
      providerMessageId: sid,
      status: state,
      ...(state === 'failed' ? { error: errorCode ? `Twilio error ${errorCode}` : status } : {}),
    });
    return { events, answer };
  },

  async send(ctx: AdapterContext<TwilioSmsConfig>, message) {
    const config = ctx.config;
    // Numbers reach us in E.164 (that is how inbound identities are stored); guessing a country is worse.
    const to = message.to.startsWith('+') ? toE164(message.to) : null;
    if (!to) throw new PermanentSendFailure(`twilio-sms: not a phone number: ${message.to.slice(0, 32)}`);
    if (!config.from && !config.messagingServiceSid) {
      throw new PermanentSendFailure(
        'twilio-sms: the inbox has neither a From number nor a Messaging Service',
      );
    }
    const form = new URLSearchParams({ To: to, Body: message.text });
    if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
    else if (config.from) form.set('From', config.from);
    if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl);
    const [user, password] =
      config.apiKeySid && config.apiKeySecret
        ? [config.apiKeySid, config.apiKeySecret]
        : [config.accountSid, config.authToken];
    const base = (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    const response = await ctx.http(`${base}/2010-04-01/Accounts/${config.accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    });
    const body = await readJson(response);
    if (response.ok && isRecord(body) && str(body.sid)) {
      // Twilio answers "queued" (in its queue): handed over, so sent as far as our outbox is concerned;
      // the StatusCallback reports delivery. A resend of a part marked queued would text the customer twice.
      return {
        providerMessageId: str(body.sid) as string,
        status: stateOf(str(body.status)) === 'failed' ? 'failed' : 'sent',
      };
    }
    const code = isRecord(body) && typeof body.code === 'number' ? body.code : undefined;
    const detail = isRecord(body) ? str(body.message) : undefined;
    const reason = `twilio-sms: HTTP ${response.status}${code ? ` ${code}` : ''}${detail ? `: ${detail.slice(0, 200)}` : ''}`;
    if (response.ok || response.status >= 500 || response.status === 429) throw new Error(reason);
    if (code !== undefined && RETRYABLE_CODES.has(code)) throw new Error(reason);
    throw new PermanentSendFailure(reason);
  },
};

// Tencent Cloud SMS (API 3.0, version 2021-01-11). Outbound: SendSms, a JSON POST signed with
// TC3-HMAC-SHA256. Mainland China only carries approved templates, so the reply is the one parameter of a
// template the shop had approved ("{1}"). Inbound: the console's callback URLs receive replies (one JSON
// object) and status reports (a JSON array); neither is signed, so the URL carries a per-inbox token.
import { createHash } from 'node:crypto';
import Type from 'typebox';
import {
  type AdapterContext,
  type ChannelAdapter,
  type InboundEvent,
  InboundParseError,
  PermanentSendFailure,
} from '../adapter.ts';
import { hasCallbackToken } from './callbackToken.ts';
import { phoneIdentity, toE164 } from './phone.ts';
import { CallbackToken, CountryCode, HttpsUrl, isRecord, parseJson, readJson, str } from './shared.ts';
import { tc3Sign } from './tencentSignature.ts';

export const TencentSmsConfig = Type.Object(
  {
    secretId: Type.String({ minLength: 1, maxLength: 128 }),
    secretKey: Type.String({ minLength: 1, maxLength: 256 }),
    smsSdkAppId: Type.String({ pattern: '^[0-9]{5,20}$', description: 'SmsSdkAppId of the SMS application' }),
    signName: Type.String({ minLength: 1, maxLength: 64, description: 'Approved SMS signature (签名)' }),
    templateId: Type.String({
      pattern: '^[0-9]{1,20}$',
      description: 'Approved template with one parameter {1}',
    }),
    callbackToken: CallbackToken,
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Default ap-guangzhou' })),
    endpoint: Type.Optional({ ...HttpsUrl, description: 'Default https://sms.tencentcloudapi.com/' }),
    defaultCountryCode: Type.Optional(CountryCode),
  },
  { additionalProperties: false },
);
export type TencentSmsConfig = Type.Static<typeof TencentSmsConfig>;

const DEFAULT_ENDPOINT = 'https://sms.tencentcloudapi.com/';
const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Error codes a later attempt can get past: rate limits and Tencent-side faults. */
const RETRYABLE = [
  /^RequestLimitExceeded/,
  /^InternalError/,
  /^ResourceUnavailable/,
  /^LimitExceeded\.(PhoneNumberThirtySecondLimit|PhoneNumberOneHourLimit|DeliveryFrequencyLimit)$/,
  /^FailedOperation\.(JsonParseFail|FailResolvePacket)$/,
];

/**
 * Tencent Cloud's reply callback carries no id of its own: the sender, the second it was sent and the text
 * make a stable one, so a re-posted callback is recognised as the same message.
 */
export const tencentReplyId = (phone: string, unixSeconds: number, text: string) =>
  `reply:${phone}:${unixSeconds}:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}`;

/** Status reports use "yyyy-MM-dd HH:mm:ss" in China Standard Time. */
function cstDate(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function phoneOf(item: Record<string, unknown>, defaultCountryCode: string): string | null {
  const mobile = str(item.mobile);
  if (!mobile) return null;
  const nation = str(item.nationcode);
  return nation && /^\d{1,4}$/.test(nation)
    ? phoneIdentity(`+${nation}${mobile}`)
    : phoneIdentity(mobile, defaultCountryCode);
}

function parseItem(item: unknown, defaultCountryCode: string): InboundEvent | null {
  if (!isRecord(item)) return null;
  // Status report: `sid` is the SerialNo SendSms returned.
  const sid = str(item.sid);
  const reportStatus = str(item.report_status);
  if (sid && reportStatus) {
    const delivered = reportStatus === 'SUCCESS';
    const at = cstDate(str(item.user_receive_time));
    return {
      kind: 'status',
      providerMessageId: sid,
      status: delivered ? 'delivered' : 'failed',
      ...(delivered
        ? {}
        : { error: [str(item.errmsg), str(item.description)].filter(Boolean).join(' ') || 'FAIL' }),
      ...(at ? { at } : {}),
    };
  }
  // A customer's reply.
  const text = str(item.text);
  const time = typeof item.time === 'number' ? item.time : Number(str(item.time));
  const phone = phoneOf(item, defaultCountryCode);
  if (text !== undefined && phone && Number.isFinite(time)) {
    return {
      kind: 'message',
      providerMessageId: tencentReplyId(phone, time, text),
      identity: { kind: 'phone', value: phone, verified: true },
      profile: { phone },
      text,
      meta: { signName: str(item.sign) ?? '', extend: str(item.extend) ?? '' },
      receivedAt: new Date(time * 1000).toISOString(),
    };
  }
  return null;
}

export const tencentSms: ChannelAdapter<TencentSmsConfig> = {
  id: 'tencent-sms',
  channel: 'sms',
  configSchema: TencentSmsConfig,
  secretFields: ['secretKey', 'callbackToken'],
  capabilities: {
    // Signature + template text + parameter values may not pass 500 characters in one message.
    maxTextLength: 450,
    attachments: false,
    deliveryStatus: true,
    passiveReply: false,
  },

  verifyInbound(ctx, request) {
    return request.method === 'POST' && hasCallbackToken(request, ctx.config.callbackToken);
  },

  parseInbound(ctx, request) {
    const body = parseJson(request.rawBody);
    const items = Array.isArray(body) ? body : isRecord(body) ? [body] : null;
    if (!items) throw new InboundParseError('tencent-sms: the callback is not JSON');
    const events: InboundEvent[] = [];
    for (const item of items) {
      const event = parseItem(item, ctx.config.defaultCountryCode ?? '86');
      if (event) events.push(event);
    }
    if (items.length > 0 && events.length === 0) {
      throw new InboundParseError('tencent-sms: neither a reply nor a status report');
    }
    return {
      events,
      answer: {
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ result: 0, errmsg: 'OK' }),
      },
    };
  },

  async send(ctx: AdapterContext<TencentSmsConfig>, message) {
    const config = ctx.config;
    const to = toE164(message.to, config.defaultCountryCode ?? '86');
    if (!to) throw new PermanentSendFailure(`tencent-sms: not a phone number: ${message.to.slice(0, 32)}`);
    const endpoint = new URL(config.endpoint ?? DEFAULT_ENDPOINT);
    const payload = JSON.stringify({
      PhoneNumberSet: [to],
      SmsSdkAppId: config.smsSdkAppId,
      SignName: config.signName,
      TemplateId: config.templateId,
      TemplateParamSet: [message.text],
      // Echoed back in status reports; lets an operator match a report to our outbox row.
      SessionContext: message.idempotencyKey.slice(0, 512),
    });
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const signed = tc3Sign({
      secretId: config.secretId,
      secretKey: config.secretKey,
      service: 'sms',
      method: 'POST',
      headers: { 'content-type': CONTENT_TYPE, host: endpoint.host, 'x-tc-action': 'SendSms' },
      payload,
      timestamp,
    });
    const response = await ctx.http(endpoint.toString(), {
      method: 'POST',
      headers: {
        authorization: signed.authorization,
        'content-type': CONTENT_TYPE,
        'x-tc-action': 'SendSms',
        'x-tc-version': '2021-01-11',
        'x-tc-timestamp': String(timestamp),
        'x-tc-region': config.region ?? 'ap-guangzhou',
      },
      body: payload,
    });
    const body = await readJson(response);
    const inner = isRecord(body) && isRecord(body.Response) ? body.Response : null;
    const error = inner && isRecord(inner.Error) ? inner.Error : null;
    const status = inner && Array.isArray(inner.SendStatusSet) ? inner.SendStatusSet[0] : undefined;
    // The whole call failed (signature, credentials, rate limit …) or this number did.
    const code = error ? str(error.Code) : isRecord(status) ? str(status.Code) : undefined;
    const detail = error ? str(error.Message) : isRecord(status) ? str(status.Message) : undefined;
    if (response.ok && code === 'Ok' && isRecord(status) && str(status.SerialNo)) {
      // Accepted by the vendor: sent as far as we are concerned; the status report tells the rest.
      return { providerMessageId: str(status.SerialNo) as string, status: 'sent' };
    }
    const reason = `tencent-sms: HTTP ${response.status} ${code ?? 'no code'}${detail ? `: ${detail.slice(0, 200)}` : ''}`;
    if (response.status >= 500 || response.status === 429) throw new Error(reason);
    if (code ? RETRYABLE.some((re) => re.test(code)) : response.ok) throw new Error(reason);
    // AuthFailure.*, unapproved template or signature, bad number, blacklist, no balance: final.
    throw new PermanentSendFailure(reason);
  },
};

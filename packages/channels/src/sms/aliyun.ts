// Alibaba Cloud SMS (dysmsapi, API version 2017-05-25). Outbound: SendSms, an RPC call signed with
// Signature V1 (HMAC-SHA1), form-encoded POST. Mainland China only carries approved templates, so the
// reply goes into one variable of a template the shop had approved, e.g. "${content}". Inbound: the
// console's "HTTP batch push" posts JSON arrays of SmsUp (customer replies) and SmsReport (delivery
// receipts) to the inbox's hook URL; they carry no signature, so the URL carries a per-inbox token.
import { createHash, randomUUID } from 'node:crypto';
import Type from 'typebox';
import {
  type AdapterContext,
  type ChannelAdapter,
  type DeliveryState,
  type InboundEvent,
  InboundParseError,
  PermanentSendFailure,
} from '../adapter.ts';
import { aliyunSignature } from './aliyunSignature.ts';
import { hasCallbackToken } from './callbackToken.ts';
import { phoneIdentity, toE164 } from './phone.ts';
import { CallbackToken, CountryCode, HttpsUrl, isRecord, parseJson, readJson, str } from './shared.ts';

export const AliyunSmsConfig = Type.Object(
  {
    accessKeyId: Type.String({ minLength: 1, maxLength: 128 }),
    accessKeySecret: Type.String({ minLength: 1, maxLength: 256 }),
    signName: Type.String({ minLength: 1, maxLength: 64, description: 'Approved SMS signature (签名)' }),
    templateCode: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' }),
    templateVariable: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_]+$',
      description:
        "The template variable that carries the reply text (the name inside the template's placeholder)",
    }),
    callbackToken: CallbackToken,
    regionId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    endpoint: Type.Optional({ ...HttpsUrl, description: 'Default https://dysmsapi.aliyuncs.com/' }),
    defaultCountryCode: Type.Optional(CountryCode),
  },
  { additionalProperties: false },
);
export type AliyunSmsConfig = Type.Static<typeof AliyunSmsConfig>;

const DEFAULT_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';

/** Business codes that a later attempt can get past (flow control, a vendor-side fault). */
const RETRYABLE = [
  /^Throttling/,
  /^isp\./,
  /^ServiceUnavailable/,
  /^InternalError/,
  /^isv\.BUSINESS_LIMIT_CONTROL$/,
];

/** SendSms takes mainland numbers as 11 digits and the rest as country code + number, without "+". */
function phoneNumbersParam(to: string, defaultCountryCode: string): string {
  const e164 = toE164(to, defaultCountryCode);
  if (!e164) throw new PermanentSendFailure(`aliyun-sms: not a phone number: ${to.slice(0, 32)}`);
  return e164.startsWith('+86') ? e164.slice(3) : e164.slice(1);
}

/** Alibaba Cloud wants ISO 8601 UTC without milliseconds. */
const timestamp = (now: Date) => `${now.toISOString().slice(0, 19)}Z`;

const normaliseDate = (value: string | undefined): string | undefined => {
  // Both pushes use "yyyy-MM-dd HH:mm:ss" in China Standard Time.
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value.replace(' ', 'T')}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

function parseItem(item: unknown, defaultCountryCode: string): InboundEvent | null {
  if (!isRecord(item)) return null;
  const phone = str(item.phone_number);
  // SmsReport: a delivery receipt for a message we sent (biz_id is SendSms's BizId).
  if (typeof item.success === 'boolean' && str(item.biz_id)) {
    const code = str(item.err_code);
    const status: DeliveryState = item.success ? 'delivered' : 'failed';
    return {
      kind: 'status',
      providerMessageId: str(item.biz_id) as string,
      status,
      ...(item.success ? {} : { error: [code, str(item.err_msg)].filter(Boolean).join(' ') || 'failed' }),
      ...(normaliseDate(str(item.report_time)) ? { at: normaliseDate(str(item.report_time)) } : {}),
    };
  }
  // SmsUp: a customer's text to the signature's reply number.
  const content = str(item.content);
  const sequence = str(item.sequence_id);
  if (phone && content !== undefined && sequence) {
    const e164 = phoneIdentity(phone, defaultCountryCode);
    if (!e164) return null;
    const receivedAt = normaliseDate(str(item.send_time));
    return {
      kind: 'message',
      providerMessageId: `up:${sequence}`,
      identity: { kind: 'phone', value: e164, verified: true },
      profile: { phone: e164 },
      text: content,
      meta: { signName: str(item.sign_name) ?? '', destCode: str(item.dest_code) ?? '' },
      ...(receivedAt ? { receivedAt } : {}),
    };
  }
  return null;
}

export const aliyunSms: ChannelAdapter<AliyunSmsConfig> = {
  id: 'aliyun-sms',
  channel: 'sms',
  configSchema: AliyunSmsConfig,
  secretFields: ['accessKeySecret', 'callbackToken'],
  capabilities: {
    // The whole message (signature, template text and variables) may not pass 500 characters, and a
    // variable is capped at 35 unless the template was approved for long variables (see README).
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
    // One push may hold several receipts or replies; a single object is accepted as a one-item batch.
    const items = Array.isArray(body) ? body : isRecord(body) ? [body] : null;
    if (!items) throw new InboundParseError('aliyun-sms: the push is not a JSON array');
    const events: InboundEvent[] = [];
    for (const item of items) {
      const event = parseItem(item, ctx.config.defaultCountryCode ?? '86');
      if (event) events.push(event);
    }
    if (items.length > 0 && events.length === 0) {
      throw new InboundParseError('aliyun-sms: no SmsUp or SmsReport item in the push');
    }
    return {
      events,
      // Alibaba Cloud only checks that `code` is a number and re-pushes on anything but HTTP 200.
      answer: {
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ code: 0, msg: '接收成功' }),
      },
    };
  },

  async send(ctx: AdapterContext<AliyunSmsConfig>, message) {
    const config = ctx.config;
    const { response, body } = await callRpc(ctx, 'SendSms', {
      OutId: outIdOf(message.idempotencyKey),
      PhoneNumbers: phoneNumbersParam(message.to, config.defaultCountryCode ?? '86'),
      SignName: config.signName,
      TemplateCode: config.templateCode,
      TemplateParam: JSON.stringify({ [config.templateVariable]: message.text }),
    });
    const code = isRecord(body) ? str(body.Code) : undefined;
    const detail = isRecord(body) ? str(body.Message) : undefined;
    if (response.ok && code === 'OK' && isRecord(body) && str(body.BizId)) {
      // Accepted by the vendor: sent as far as we are concerned; the SmsReport tells the rest.
      return { providerMessageId: str(body.BizId) as string, status: 'sent' };
    }
    const reason = `aliyun-sms: HTTP ${response.status} ${code ?? 'no code'}${detail ? `: ${detail.slice(0, 200)}` : ''}`;
    // A vendor-side fault, flow control, or a 200 we cannot read: a later attempt may get through.
    if (response.status >= 500 || response.status === 429) throw new Error(reason);
    if (code ? RETRYABLE.some((re) => re.test(code)) : response.ok) throw new Error(reason);
    // Signature, AccessKey, template, sign name, number, balance and blacklist errors: retrying cannot help.
    throw new PermanentSendFailure(reason);
  },

  // QuerySendDetails lists what was sent to one number on one day (China Standard Time), each record with
  // the OutId we gave it: the days from the uncertain attempt to now are searched for ours.
  async findSent(ctx, query) {
    const outId = outIdOf(query.idempotencyKey);
    const phone = phoneNumbersParam(query.to, ctx.config.defaultCountryCode ?? '86');
    const days = cstDays(query.since, ctx.now());
    for (const day of days) {
      for (let page = 1; page <= MAX_QUERY_PAGES; page++) {
        const { response, body } = await callRpc(ctx, 'QuerySendDetails', {
          PhoneNumber: phone,
          SendDate: day,
          PageSize: String(QUERY_PAGE_SIZE),
          CurrentPage: String(page),
        });
        const code = isRecord(body) ? str(body.Code) : undefined;
        // Not knowing is not "not sent": the caller retries the whole job later instead of sending.
        if (!response.ok || code !== 'OK' || !isRecord(body))
          throw new Error(`aliyun-sms: QuerySendDetails HTTP ${response.status} ${code ?? 'no code'}`);
        const dtos = isRecord(body.SmsSendDetailDTOs) ? body.SmsSendDetailDTOs.SmsSendDetailDTO : null;
        const records = Array.isArray(dtos) ? dtos.filter(isRecord) : [];
        const ours = records.find((r) => str(r.OutId) === outId);
        if (ours) {
          // SendStatus 1 = awaiting the carrier's receipt, 2 = failed, 3 = delivered.
          const status: DeliveryState =
            ours.SendStatus === 2 ? 'failed' : ours.SendStatus === 3 ? 'delivered' : 'sent';
          // The record carries no BizId; the OutId names the message in the delivery instead.
          return { providerMessageId: `out:${outId}`, status };
        }
        if (records.length < QUERY_PAGE_SIZE) break;
      }
    }
    return null;
  },
};

const QUERY_PAGE_SIZE = 50;
const MAX_QUERY_PAGES = 20;

/** Our idempotency key as SendSms's OutId (at most 32 characters), the same for every attempt. */
const outIdOf = (idempotencyKey: string) =>
  createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);

/** yyyyMMdd in China Standard Time of each day from `from` to `to`, the last three at most. */
function cstDays(from: Date, to: Date): string[] {
  const day = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const days = new Set<string>();
  for (let t = Math.max(from.getTime(), to.getTime() - 2 * 86_400_000); t < to.getTime(); t += 86_400_000)
    days.add(day(t));
  days.add(day(to.getTime()));
  return [...days];
}

/** One signed RPC call (Signature V1, form-encoded POST) with the common parameters. */
async function callRpc(
  ctx: AdapterContext<AliyunSmsConfig>,
  action: string,
  actionParams: Record<string, string>,
): Promise<{ response: Response; body: unknown }> {
  const config = ctx.config;
  const params: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: action,
    Format: 'JSON',
    RegionId: config.regionId ?? 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID(),
    SignatureVersion: '1.0',
    Timestamp: timestamp(ctx.now()),
    Version: '2017-05-25',
    ...actionParams,
  };
  params.Signature = aliyunSignature('POST', params, config.accessKeySecret);
  const response = await ctx.http(config.endpoint ?? DEFAULT_ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
  return { response, body: await readJson(response) };
}

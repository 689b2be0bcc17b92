// A local Alibaba Cloud SMS (dysmsapi 2017-05-25) endpoint. It checks SendSms requests the way the POP
// gateway does — AccessKey known, Timestamp within 15 minutes, SignatureNonce unused, Signature V1
// recomputed from the received parameters with the secret — and answers with Alibaba Cloud's real error
// bodies, then the SMS service's own checks (approved signature and template, number, variable length).
// It builds SmsUp / SmsReport pushes the way the console's HTTP batch push sends them, and answers
// QuerySendDetails (one number, one CST day, paged) from what it accepted, OutId included. Tests can hold
// back the answers of accepted sends, as a vendor that took a message while the caller died.
import { createHmac, randomInt } from 'node:crypto';
import {
  type FakeServer,
  type ReceivedRequest,
  requestId,
  startVendorServer,
  type VendorAnswer,
  type VendorWebhook,
} from './server.ts';

export interface AliyunSent {
  bizId: string;
  phoneNumbers: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId?: string;
  /** China Standard Time, "yyyy-MM-dd HH:mm:ss". */
  sendDate: string;
}

export interface FakeAliyunSms {
  /** The endpoint to configure on the inbox. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  sent: AliyunSent[];
  /** Requests the gateway refused, with the error code it gave. */
  refused: string[];
  /** QuerySendDetails calls answered (number, day, page). */
  queries: { phone: string; sendDate: string; page: number }[];
  /**
   * From the `count`-th accepted send on, sends are still accepted (and recorded) but their answers are
   * held until `releaseHeld`; resolves when the `count`-th send has been accepted.
   */
  holdAnswersFrom(count: number): Promise<void>;
  releaseHeld(): void;
  /** The next `count` well-signed sends get flow control (`throttle`) or a 503 (`unavailable`). */
  failNext(count: number, kind: 'throttle' | 'unavailable'): void;
  /** A customer's reply as an SmsUp push to `hookUrl`. */
  smsUp(
    hookUrl: string,
    items: { phone: string; content: string; sequenceId?: number; sendTime?: string }[],
  ): VendorWebhook;
  /** Delivery receipts as an SmsReport push to `hookUrl`. */
  smsReport(
    hookUrl: string,
    items: { bizId: string; phone: string; success: boolean; errCode?: string }[],
  ): VendorWebhook;
  close(): Promise<void>;
}

// Written apart from the adapter's signer on purpose: the fake must not share a mistake with it.
const rfc3986 = (s: string) =>
  Array.from(new TextEncoder().encode(s), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');

const cstNow = (date: Date) =>
  new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

const json = (status: number, body: Record<string, unknown>): VendorAnswer => ({
  status,
  body: JSON.stringify(body),
});

export async function startFakeAliyunSms(options: { variableLimit?: number } = {}): Promise<FakeAliyunSms> {
  const accessKeyId = 'LTAI5tFakeAccessKeyId01';
  const accessKeySecret = 'fakeAccessKeySecret0123456789abc';
  const signName = '智客测试';
  const templateCode = 'SMS_123456789';
  const variableLimit = options.variableLimit ?? 500;
  const sent: AliyunSent[] = [];
  const refused: string[] = [];
  const queries: FakeAliyunSms['queries'] = [];
  let holdFrom = Number.POSITIVE_INFINITY;
  let reachedHold: (() => void) | null = null;
  let held: (() => void)[] = [];
  const usedNonces = new Set<string>();
  let failures: ('throttle' | 'unavailable')[] = [];

  const popError = (status: number, code: string, message: string): VendorAnswer => {
    refused.push(code);
    return json(status, {
      RequestId: requestId(),
      HostId: 'dysmsapi.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Dysmsapi`,
    });
  };
  const smsError = (code: string, message: string): VendorAnswer => {
    refused.push(code);
    return json(200, { RequestId: requestId(), Code: code, Message: message });
  };

  function querySendDetails(params: Map<string, string>): VendorAnswer {
    const phone = params.get('PhoneNumber') ?? '';
    const day = params.get('SendDate') ?? '';
    const pageSize = Number(params.get('PageSize'));
    const page = Number(params.get('CurrentPage') ?? '1');
    if (!phone) return popError(400, 'MissingPhoneNumber', 'PhoneNumber is mandatory for this action.');
    if (!/^\d{8}$/.test(day))
      return popError(400, 'MissingSendDate', 'SendDate is mandatory for this action.');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50)
      return popError(400, 'InvalidPageSize', 'PageSize must be between 1 and 50.');
    if (!Number.isInteger(page) || page < 1)
      return popError(400, 'InvalidCurrentPage', 'CurrentPage must be a positive integer.');
    queries.push({ phone, sendDate: day, page });
    const matching = sent.filter(
      (m) => m.phoneNumbers === phone && m.sendDate.slice(0, 10).replace(/-/g, '') === day,
    );
    const dtos = matching.slice((page - 1) * pageSize, page * pageSize).map((m) => ({
      PhoneNum: m.phoneNumbers,
      SendStatus: 1,
      ErrCode: '',
      TemplateCode: m.templateCode,
      Content: `【${m.signName}】${Object.values(m.templateParam).join('')}`,
      SendDate: m.sendDate,
      ReceiveDate: '',
      OutId: m.outId ?? '',
    }));
    return json(200, {
      Code: 'OK',
      Message: 'OK',
      RequestId: requestId(),
      TotalCount: matching.length,
      SmsSendDetailDTOs: { SmsSendDetailDTO: dtos },
    });
  }

  function handle(request: ReceivedRequest): VendorAnswer | Promise<VendorAnswer> {
    const query = new URL(request.path, 'http://x').searchParams;
    const form = new URLSearchParams(request.method === 'POST' ? request.body.toString('utf8') : '');
    const params = new Map<string, string>();
    for (const [k, v] of query) params.set(k, v);
    for (const [k, v] of form) params.set(k, v);
    const given = params.get('Signature');
    if (!params.get('AccessKeyId') || !given)
      return popError(400, 'MissingParameter', 'AccessKeyId or Signature is mandatory for this action.');
    if (params.get('AccessKeyId') !== accessKeyId)
      return popError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const ts = Date.parse(params.get('Timestamp') ?? '');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.get('Timestamp') ?? '') || Number.isNaN(ts)) {
      return popError(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp or date value is not well formatted.',
      );
    }
    if (Math.abs(Date.now() - ts) > 15 * 60_000)
      return popError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    params.delete('Signature');
    const canonical = [...params.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => `${rfc3986(k)}=${rfc3986(params.get(k) ?? '')}`)
      .join('&');
    const stringToSign = `${request.method}&%2F&${rfc3986(canonical)}`;
    const expected = createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
    if (given !== expected) {
      return popError(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      );
    }
    const nonce = params.get('SignatureNonce') ?? '';
    if (!nonce || usedNonces.has(nonce))
      return popError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    usedNonces.add(nonce);
    if (params.get('Action') === 'QuerySendDetails' && params.get('Version') === '2017-05-25')
      return querySendDetails(params);
    if (params.get('Action') !== 'SendSms' || params.get('Version') !== '2017-05-25') {
      return popError(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }
    const failure = failures.shift();
    if (failure === 'throttle') return smsError('isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1');
    if (failure === 'unavailable')
      return popError(
        503,
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
      );
    if (params.get('SignName') !== signName)
      return smsError('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    if (params.get('TemplateCode') !== templateCode)
      return smsError('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    const phones = params.get('PhoneNumbers') ?? '';
    if (!/^(1\d{10}|[2-9]\d{6,14})$/.test(phones))
      return smsError('isv.MOBILE_NUMBER_ILLEGAL', '手机号码格式错误');
    let templateParam: Record<string, string>;
    try {
      templateParam = JSON.parse(params.get('TemplateParam') ?? '') as Record<string, string>;
    } catch {
      return smsError('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    }
    if (Object.values(templateParam).some((v) => typeof v !== 'string'))
      return smsError('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    if (Object.values(templateParam).some((v) => [...v].length > variableLimit))
      return smsError('isv.PARAM_LENGTH_LIMIT', '参数超出长度限制');
    const bizId = `${randomInt(100000, 999999)}${Date.now()}^0`;
    sent.push({
      bizId,
      phoneNumbers: phones,
      signName,
      templateCode,
      templateParam,
      ...(params.get('OutId') ? { outId: params.get('OutId') } : {}),
      sendDate: cstNow(new Date()),
    });
    const answer = json(200, { Message: 'OK', RequestId: requestId(), Code: 'OK', BizId: bizId });
    if (sent.length < holdFrom) return answer;
    if (sent.length === holdFrom) reachedHold?.();
    return new Promise<VendorAnswer>((resolve) => held.push(() => resolve(answer)));
  }

  const server: FakeServer = await startVendorServer(handle);
  const push = (hookUrl: string, items: unknown[]): VendorWebhook => ({
    method: 'POST',
    url: hookUrl,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(items),
  });
  let sequence = 1_000_000;
  return {
    endpoint: `${server.baseUrl}/`,
    accessKeyId,
    accessKeySecret,
    signName,
    templateCode,
    sent,
    refused,
    queries,
    holdAnswersFrom(count) {
      holdFrom = count;
      return new Promise<void>((resolve) => {
        reachedHold = resolve;
        if (sent.length >= count) resolve();
      });
    },
    releaseHeld() {
      holdFrom = Number.POSITIVE_INFINITY;
      for (const answer of held) answer();
      held = [];
    },
    failNext(count, kind) {
      failures = [...failures, ...Array.from({ length: count }, () => kind)];
    },
    smsUp: (hookUrl, items) =>
      push(
        hookUrl,
        items.map((item) => ({
          phone_number: item.phone,
          send_time: item.sendTime ?? cstNow(new Date()),
          content: item.content,
          sign_name: signName,
          dest_code: '1234',
          sequence_id: item.sequenceId ?? ++sequence,
        })),
      ),
    smsReport: (hookUrl, items) =>
      push(
        hookUrl,
        items.map((item) => ({
          phone_number: item.phone,
          send_time: cstNow(new Date(Date.now() - 3000)),
          report_time: cstNow(new Date()),
          success: item.success,
          err_code: item.errCode ?? (item.success ? 'DELIVERED' : 'MK:0001'),
          err_msg: item.success ? '用户接收成功' : '用户接收失败',
          sms_size: '1',
          biz_id: item.bizId,
          out_id: '',
        })),
      ),
    close: () => {
      for (const answer of held) answer();
      held = [];
      return server.close();
    },
  };
}

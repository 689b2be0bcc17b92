// A local Tencent Cloud SMS endpoint (API 3.0, SendSms 2021-01-11). It checks the TC3-HMAC-SHA256
// Authorization the way the API gateway does — known SecretId, X-TC-Timestamp within 5 minutes, a
// credential scope for that UTC date and the sms service, content-type and host signed, the signature
// recomputed from the headers and body it received — and answers with Tencent Cloud's real error bodies
// (HTTP 200 with Response.Error). It builds reply and status callbacks the way the console sends them.
import { createHash, createHmac, randomInt } from 'node:crypto';
import {
  type FakeServer,
  type ReceivedRequest,
  requestId,
  startVendorServer,
  type VendorAnswer,
  type VendorWebhook,
} from './server.ts';

export interface TencentSent {
  serialNo: string;
  phone: string;
  smsSdkAppId: string;
  signName: string;
  templateId: string;
  params: string[];
  sessionContext: string;
}

export interface FakeTencentSms {
  endpoint: string;
  secretId: string;
  secretKey: string;
  smsSdkAppId: string;
  signName: string;
  templateId: string;
  sent: TencentSent[];
  refused: string[];
  /** The next `count` well-signed sends get RequestLimitExceeded (`throttle`) or InternalError (`internal`). */
  failNext(count: number, kind: 'throttle' | 'internal'): void;
  /** A customer's reply, as Tencent Cloud posts it (one JSON object). */
  reply(
    hookUrl: string,
    reply: { mobile: string; nationcode?: string; text: string; time?: number },
  ): VendorWebhook;
  /** Status reports, as Tencent Cloud posts them (a JSON array). */
  statusReport(hookUrl: string, items: { sid: string; mobile: string; success: boolean }[]): VendorWebhook;
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const cst = (date: Date) =>
  new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

export async function startFakeTencentSms(): Promise<FakeTencentSms> {
  const secretId = 'AKIDfakeSecretId0123456789abcdef';
  const secretKey = 'fakeSecretKey0123456789abcdefgh';
  const smsSdkAppId = '1400123456';
  const signName = '智客测试';
  const templateId = '1234567';
  const sent: TencentSent[] = [];
  const refused: string[] = [];
  let failures: ('throttle' | 'internal')[] = [];

  const error = (code: string, message: string): VendorAnswer => {
    refused.push(code);
    return {
      status: 200,
      body: JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId() } }),
    };
  };

  function verify(request: ReceivedRequest): VendorAnswer | null {
    const header = String(request.headers.authorization ?? '');
    const match =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        header,
      );
    if (!match) return error('AuthFailure.InvalidAuthorization', 'Authorization header format error.');
    const [, id, date, service, signedHeaders, signature] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (id !== secretId)
      return error(
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
      );
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) {
      return error(
        'AuthFailure.SignatureExpire',
        'Signature expired. Timestamp and server time cannot differ by more than 5 minutes.',
      );
    }
    const names = signedHeaders.split(';');
    if (
      date !== new Date(timestamp * 1000).toISOString().slice(0, 10) ||
      service !== 'sms' ||
      !names.includes('content-type') ||
      !names.includes('host')
    ) {
      return error(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    }
    const canonicalHeaders = names
      .map(
        (name) =>
          `${name}:${String(request.headers[name] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('');
    const canonicalRequest = `${request.method}\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256(request.body)}`;
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonicalRequest)}`;
    const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
    if (createHmac('sha256', key).update(stringToSign).digest('hex') !== signature) {
      return error(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      );
    }
    return null;
  }

  function handle(request: ReceivedRequest): VendorAnswer {
    if (request.method !== 'POST') return error('UnsupportedProtocol', 'Only POST and GET are supported.');
    const refusal = verify(request);
    if (refusal) return refusal;
    if (request.headers['x-tc-action'] !== 'SendSms')
      return error('InvalidAction', 'The requested action does not exist.');
    if (request.headers['x-tc-version'] !== '2021-01-11')
      return error('NoSuchVersion', 'The API version does not exist.');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return error('FailedOperation.JsonParseFail', 'Failed to parse the request packet.');
    }
    const failure = failures.shift();
    if (failure === 'throttle')
      return error('RequestLimitExceeded', 'Your current request frequency has reached the limit.');
    if (failure === 'internal') return error('InternalError.Timeout', 'Timeout.');
    if (body.SmsSdkAppId !== smsSdkAppId)
      return error('InvalidParameterValue.SdkAppIdNotExist', 'The SdkAppId does not exist.');
    if (body.SignName !== signName)
      return error(
        'FailedOperation.SignatureIncorrectOrUnapproved',
        'Signature format error or signature not approved.',
      );
    if (body.TemplateId !== templateId)
      return error(
        'FailedOperation.TemplateIncorrectOrUnapproved',
        'Template ID or template content is incorrect or the template is not approved.',
      );
    const phones = Array.isArray(body.PhoneNumberSet) ? body.PhoneNumberSet : [];
    const params = Array.isArray(body.TemplateParamSet) ? (body.TemplateParamSet as string[]) : [];
    const total = [...signName].length + 2 + params.reduce((n, p) => n + [...String(p)].length, 0);
    if (total > 500)
      return error(
        'InvalidParameterValue.TemplateParameterLengthLimit',
        'The length of a single template variable exceeds the limit.',
      );
    const statuses = phones.map((phone) => {
      const number = String(phone);
      if (!/^\+[1-9]\d{6,14}$/.test(number)) {
        return {
          SerialNo: '',
          PhoneNumber: number,
          Fee: 0,
          SessionContext: '',
          Code: 'InvalidParameterValue.IncorrectPhoneNumber',
          Message: 'invalid mobile number',
          IsoCode: '',
        };
      }
      const serialNo = `2645:${randomInt(10 ** 9, 10 ** 10 - 1)}${Date.now()}`;
      sent.push({
        serialNo,
        phone: number,
        smsSdkAppId,
        signName,
        templateId,
        params,
        sessionContext: String(body.SessionContext ?? ''),
      });
      return {
        SerialNo: serialNo,
        PhoneNumber: number,
        Fee: 1,
        SessionContext: String(body.SessionContext ?? ''),
        Code: 'Ok',
        Message: 'send success',
        IsoCode: number.startsWith('+86') ? 'CN' : 'XX',
      };
    });
    for (const s of statuses) if (s.Code !== 'Ok') refused.push(s.Code);
    return {
      status: 200,
      body: JSON.stringify({ Response: { SendStatusSet: statuses, RequestId: requestId() } }),
    };
  }

  const server: FakeServer = await startVendorServer(handle);
  const post = (hookUrl: string, payload: unknown): VendorWebhook => ({
    method: 'POST',
    url: hookUrl,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return {
    endpoint: `${server.baseUrl}/`,
    secretId,
    secretKey,
    smsSdkAppId,
    signName,
    templateId,
    sent,
    refused,
    failNext(count, kind) {
      failures = [...failures, ...Array.from({ length: count }, () => kind)];
    },
    reply: (hookUrl, reply) =>
      post(hookUrl, {
        extend: '',
        mobile: reply.mobile,
        nationcode: reply.nationcode ?? '86',
        sign: signName,
        text: reply.text,
        time: reply.time ?? Math.floor(Date.now() / 1000),
      }),
    statusReport: (hookUrl, items) =>
      post(
        hookUrl,
        items.map((item) => ({
          user_receive_time: cst(new Date()),
          nationcode: '86',
          mobile: item.mobile,
          report_status: item.success ? 'SUCCESS' : 'FAIL',
          errmsg: item.success ? 'DELIVRD' : 'MK:0001',
          description: item.success ? '用户短信送达成功' : '用户短信接收失败',
          sid: item.sid,
        })),
      ),
    close: () => server.close(),
  };
}

// A local stand-in for the WeChat Official Account platform. Its API side serves what the adapter calls —
// POST /cgi-bin/stable_token (checks AppID and AppSecret; the same token while it has five minutes left, a
// forced refresh ends it at once) and the older GET /cgi-bin/token (each call ends the earlier tokens five
// minutes later), POST /cgi-bin/message/custom/send (checks the token, the 48-hour window and the five-message
// quota per customer message, records what it accepted, can be told to fail), temporary media upload and
// get. Its push side builds requests exactly as WeChat sends them to a server URL: the verification GET and
// message pushes in plain, compatible and safe mode, signed and encrypted. Its crypto is written here again
// on purpose, from the platform's description, so a mistake in the adapter's cannot cancel itself out.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WechatMode = 'plain' | 'compatible' | 'safe';

export interface WechatAccount {
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey: string;
  /** The account's original id (gh_…), the ToUserName of every push. */
  originalId: string;
}

export interface SentServiceMessage {
  touser: string;
  msgtype: string;
  text?: string;
  mediaId?: string;
  at: number;
}

export interface UploadedMedia {
  mediaId: string;
  type: string;
  fileName: string;
  mimeType: string;
  content: Buffer;
}

/** A request as WeChat would make it to the server URL. */
export interface WechatPush {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface UserMessage {
  openId: string;
  msgType?: 'text' | 'image' | 'voice' | 'location' | 'link' | 'video';
  content?: string;
  mediaId?: string;
  recognition?: string;
  msgId?: string;
  createTime?: number;
}

export interface FakeWechat {
  apiBase: string;
  account: WechatAccount;
  /** The platform's clock (epoch ms): token expiry and the 48-hour window follow it. */
  now(): number;
  advance(ms: number): void;
  sent: SentServiceMessage[];
  /** Calls of /cgi-bin/stable_token (force: a forced refresh) and of the older /cgi-bin/token. */
  tokenRequests: { appid: string; ok: boolean; force?: boolean }[];
  uploads: UploadedMedia[];
  mediaDownloads: string[];
  /** The next customer-service sends answer these error codes, in order. */
  failNextSends(...errors: { errcode: number; errmsg?: string }[]): void;
  /** Every issued token reached its expiry (WeChat answers 42001 for them). */
  expireTokens(): void;
  /** Every issued token is refused (40001) though the stable-token API would still hand it out. */
  revokeTokens(): void;
  /** A file a customer sent, retrievable through /cgi-bin/media/get. */
  addMedia(content: Buffer, mimeType: string): string;
  verification(hookUrl: string, echostr?: string): WechatPush;
  /** A follower's message pushed to `hookUrl`; it also opens the 48-hour window for that follower. */
  userMessage(hookUrl: string, message: UserMessage, mode?: WechatMode): WechatPush;
  event(hookUrl: string, openId: string, event: string, mode?: WechatMode): WechatPush;
  /** Any XML body pushed with WeChat's signatures (for hostile-body tests: the signature is valid). */
  signedPush(hookUrl: string, xml: string, mode?: WechatMode): WechatPush;
  /** Reads a passive reply as WeChat does: checks MsgSignature and decrypts in compatible/safe mode. */
  readReply(body: string, encrypted: boolean): Record<string, string>;
  close(): Promise<void>;
}

const sha1 = (parts: string[]) =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');

function aesKey(encodingAesKey: string): Buffer {
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

function encrypt(account: WechatAccount, xml: string): string {
  const key = aesKey(account.encodingAesKey);
  const message = Buffer.from(xml);
  const header = Buffer.alloc(20);
  randomBytes(16).copy(header);
  header.writeUInt32BE(message.length, 16);
  const plain = Buffer.concat([header, message, Buffer.from(account.appId)]);
  const padding = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(padding, padding)])),
    cipher.final(),
  ]).toString('base64');
}

function decrypt(account: WechatAccount, data: string): string {
  const key = aesKey(account.encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
  const padding = plain[plain.length - 1] as number;
  const unpadded = plain.subarray(0, plain.length - padding);
  const length = unpadded.readUInt32BE(16);
  const appId = unpadded.subarray(20 + length).toString();
  if (appId !== account.appId) throw new Error(`reply encrypted for ${appId}, not ${account.appId}`);
  return unpadded.subarray(20, 20 + length).toString();
}

/** Flat `<xml>` fields, as WeChat reads a reply (the adapter's parser is not used here). */
function flatFields(xml: string): Record<string, string> {
  const inner = /^\s*<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!inner) throw new Error(`not a WeChat XML document: ${xml.slice(0, 80)}`);
  const fields: Record<string, string> = {};
  for (const match of (inner[1] as string).matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    fields[match[1] as string] = match[2] ?? match[3] ?? '';
  }
  return fields;
}

const cdata = (value: string) => `<![CDATA[${value}]]>`;

let msgIdCounter = 24_000_000_000_000_000n;

export async function startFakeWechat(overrides: Partial<WechatAccount> = {}): Promise<FakeWechat> {
  const account: WechatAccount = {
    appId: 'wx5823bf96d3bd56c7',
    appSecret: '0c79e1fa963cd80cc0be99b20a18faeb',
    token: 'ZhikeToken2026',
    encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    originalId: 'gh_3f3ab5c2d3e1',
    ...overrides,
  };
  let clock = Date.now();
  const tokens = new Map<string, number>(); // token → expires at (platform clock)
  let stable: string | null = null; // the stable-token API's current token
  let revoked = new Set<string>();
  const lastMessageAt = new Map<string, number>();
  const quota = new Map<string, number>();
  const media = new Map<string, { content: Buffer; mimeType: string }>();
  const injected: { errcode: number; errmsg?: string }[] = [];
  const sent: SentServiceMessage[] = [];
  const tokenRequests: { appid: string; ok: boolean; force?: boolean }[] = [];
  const uploads: UploadedMedia[] = [];
  const mediaDownloads: string[] = [];

  const json = (res: ServerResponse, body: unknown, contentType = 'application/json; encoding=utf-8') => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(JSON.stringify(body));
  };

  /** errcode for a bad token, or 0. */
  const tokenError = (token: string | null): number => {
    if (!token) return 41001;
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined || revoked.has(token)) return 40001;
    return expiresAt <= clock ? 42001 : 0;
  };

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const accessToken = url.searchParams.get('access_token');

    if (url.pathname === '/cgi-bin/token' && req.method === 'GET') {
      const appid = url.searchParams.get('appid') ?? '';
      if (url.searchParams.get('grant_type') !== 'client_credential') {
        return json(res, { errcode: 40002, errmsg: 'invalid grant_type' });
      }
      if (appid !== account.appId) {
        tokenRequests.push({ appid, ok: false });
        return json(res, { errcode: 40013, errmsg: 'invalid appid' });
      }
      if (url.searchParams.get('secret') !== account.appSecret) {
        tokenRequests.push({ appid, ok: false });
        return json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
      }
      tokenRequests.push({ appid, ok: true });
      // A new token ends the earlier ones five minutes later, as on the real platform.
      for (const [token, expiresAt] of tokens) tokens.set(token, Math.min(expiresAt, clock + 5 * 60_000));
      const token = randomBytes(48).toString('base64url');
      tokens.set(token, clock + 7200_000);
      return json(res, { access_token: token, expires_in: 7200 });
    }

    if (url.pathname === '/cgi-bin/stable_token' && req.method === 'POST') {
      let request: { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean };
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        return json(res, { errcode: 47001, errmsg: 'data format error' });
      }
      const appid = request.appid ?? '';
      if (request.grant_type !== 'client_credential')
        return json(res, { errcode: 40002, errmsg: 'invalid grant_type' });
      if (appid !== account.appId || request.secret !== account.appSecret) {
        tokenRequests.push({ appid, ok: false, force: request.force_refresh === true });
        return json(
          res,
          appid !== account.appId
            ? { errcode: 40013, errmsg: 'invalid appid' }
            : { errcode: 40125, errmsg: 'invalid appsecret' },
        );
      }
      tokenRequests.push({ appid, ok: true, force: request.force_refresh === true });
      const current = stable ? tokens.get(stable) : undefined;
      if (request.force_refresh === true) {
        // Forced: the previous token ends at once.
        if (stable) tokens.delete(stable);
      } else if (stable && current !== undefined && current - clock > 5 * 60_000) {
        // Normal mode: the same token while it has more than five minutes left.
        return json(res, { access_token: stable, expires_in: Math.floor((current - clock) / 1000) });
      }
      // Within its last five minutes (or gone) a new token is issued; the old one lives out its time.
      stable = randomBytes(48).toString('base64url');
      tokens.set(stable, clock + 7200_000);
      return json(res, { access_token: stable, expires_in: 7200 });
    }

    if (url.pathname === '/cgi-bin/message/custom/send' && req.method === 'POST') {
      const bad = tokenError(accessToken);
      if (bad)
        return json(res, {
          errcode: bad,
          errmsg: bad === 42001 ? 'access_token expired' : 'invalid credential',
        });
      const failure = injected.shift();
      if (failure) return json(res, { errcode: failure.errcode, errmsg: failure.errmsg ?? 'injected' });
      let payload: {
        touser?: string;
        msgtype?: string;
        text?: { content?: string };
        image?: { media_id?: string };
      };
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return json(res, { errcode: 47001, errmsg: 'data format error' });
      }
      const touser = payload.touser ?? '';
      const last = lastMessageAt.get(touser);
      if (last === undefined) return json(res, { errcode: 40003, errmsg: 'invalid openid' });
      if (clock - last > 48 * 3600_000) {
        return json(res, {
          errcode: 45015,
          errmsg: 'response out of time limit or subscription is canceled',
        });
      }
      const used = quota.get(touser) ?? 0;
      if (used >= 5) return json(res, { errcode: 45047, errmsg: 'out of response count limit' });
      if (payload.msgtype === 'text') {
        const content = payload.text?.content ?? '';
        if (content === '') return json(res, { errcode: 44003, errmsg: 'empty news data' });
        if (Buffer.byteLength(content) > 2048)
          return json(res, { errcode: 45002, errmsg: 'content size out of limit' });
        sent.push({ touser, msgtype: 'text', text: content, at: clock });
      } else if (payload.msgtype === 'image') {
        const mediaId = payload.image?.media_id ?? '';
        if (!uploads.some((upload) => upload.mediaId === mediaId)) {
          return json(res, { errcode: 40007, errmsg: 'invalid media_id' });
        }
        sent.push({ touser, msgtype: 'image', mediaId, at: clock });
      } else {
        return json(res, { errcode: 40008, errmsg: 'invalid message type' });
      }
      quota.set(touser, used + 1);
      return json(res, { errcode: 0, errmsg: 'ok' });
    }

    if (url.pathname === '/cgi-bin/media/upload' && req.method === 'POST') {
      const bad = tokenError(accessToken);
      if (bad) return json(res, { errcode: bad, errmsg: 'invalid credential' });
      const type = url.searchParams.get('type') ?? '';
      if (!['image', 'voice', 'video', 'thumb'].includes(type)) {
        return json(res, { errcode: 40004, errmsg: 'invalid media type' });
      }
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      })
        .formData()
        .catch(() => null);
      const file = form?.get('media');
      if (!file || typeof file === 'string')
        return json(res, { errcode: 41005, errmsg: 'media data missing' });
      const mediaId = randomBytes(24).toString('base64url');
      uploads.push({
        mediaId,
        type,
        fileName: file.name,
        mimeType: file.type,
        content: Buffer.from(await file.arrayBuffer()),
      });
      return json(res, { type, media_id: mediaId, created_at: Math.floor(clock / 1000) });
    }

    if (url.pathname === '/cgi-bin/media/get' && req.method === 'GET') {
      const bad = tokenError(accessToken);
      // The platform answers media errors as JSON labelled text/plain.
      if (bad) return json(res, { errcode: bad, errmsg: 'invalid credential' }, 'text/plain');
      const mediaId = url.searchParams.get('media_id') ?? '';
      const file = media.get(mediaId);
      if (!file) return json(res, { errcode: 40007, errmsg: 'invalid media_id' }, 'text/plain');
      mediaDownloads.push(mediaId);
      res.writeHead(200, {
        'content-type': file.mimeType,
        'content-disposition': `attachment; filename="${mediaId}.jpg"`,
        'content-length': String(file.content.length),
      });
      res.end(file.content);
      return;
    }

    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const signedQuery = (hookUrl: string) => {
    const timestamp = String(Math.floor(clock / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9) + 1);
    const url = new URL(hookUrl);
    url.searchParams.set('signature', sha1([account.token, timestamp, nonce]));
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    return { url, timestamp, nonce };
  };

  const signedPush = (hookUrl: string, xml: string, mode: WechatMode = 'plain'): WechatPush => {
    const { url, timestamp, nonce } = signedQuery(hookUrl);
    const openId = /<FromUserName><!\[CDATA\[([^\]]*)\]\]><\/FromUserName>/.exec(xml)?.[1];
    if (openId) url.searchParams.set('openid', openId);
    let body = xml;
    if (mode !== 'plain') {
      const encrypted = encrypt(account, xml);
      url.searchParams.set('encrypt_type', 'aes');
      url.searchParams.set('msg_signature', sha1([account.token, timestamp, nonce, encrypted]));
      const encryptedField = `<Encrypt>${cdata(encrypted)}</Encrypt>`;
      // Compatible mode carries the plain fields and the ciphertext side by side.
      body =
        mode === 'safe'
          ? `<xml><ToUserName>${cdata(account.originalId)}</ToUserName>${encryptedField}</xml>`
          : xml.replace(/<\/xml>\s*$/, `${encryptedField}</xml>`);
    }
    return {
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': 'text/xml', 'user-agent': 'Mozilla/4.0' },
      body,
    };
  };

  return {
    apiBase: `http://127.0.0.1:${port}`,
    account,
    now: () => clock,
    advance: (ms) => {
      clock += ms;
    },
    sent,
    tokenRequests,
    uploads,
    mediaDownloads,
    failNextSends: (...errors) => {
      injected.push(...errors);
    },
    expireTokens: () => {
      for (const token of tokens.keys()) tokens.set(token, clock);
    },
    revokeTokens: () => {
      revoked = new Set(tokens.keys());
    },
    addMedia: (content, mimeType) => {
      const mediaId = randomBytes(24).toString('base64url');
      media.set(mediaId, { content, mimeType });
      return mediaId;
    },
    verification: (hookUrl, echostr = String(Math.floor(Math.random() * 1e18))) => {
      const { url } = signedQuery(hookUrl);
      url.searchParams.set('echostr', echostr);
      return { method: 'GET', url: url.toString(), headers: {}, body: '' };
    },
    userMessage(hookUrl, message, mode) {
      const createTime = message.createTime ?? Math.floor(clock / 1000);
      const msgType = message.msgType ?? 'text';
      msgIdCounter += 1n;
      const msgId = message.msgId ?? String(msgIdCounter);
      const typeFields: Record<string, string> = {
        text: `<Content>${cdata(message.content ?? '')}</Content>`,
        image: `<PicUrl>${cdata('http://mmbiz.qpic.cn/mmbiz_jpg/fake/0')}</PicUrl><MediaId>${cdata(message.mediaId ?? '')}</MediaId>`,
        voice: `<MediaId>${cdata(message.mediaId ?? '')}</MediaId><Format>${cdata('amr')}</Format>${
          message.recognition !== undefined ? `<Recognition>${cdata(message.recognition)}</Recognition>` : ''
        }`,
        location: `<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label>${cdata(
          message.content ?? '',
        )}</Label>`,
        link: `<Title>${cdata(message.content ?? '')}</Title><Description>${cdata('')}</Description><Url>${cdata(
          'https://example.com/a',
        )}</Url>`,
        video: `<MediaId>${cdata(message.mediaId ?? '')}</MediaId><ThumbMediaId>${cdata('thumb')}</ThumbMediaId>`,
      };
      const xml =
        `<xml><ToUserName>${cdata(account.originalId)}</ToUserName><FromUserName>${cdata(message.openId)}</FromUserName>` +
        `<CreateTime>${createTime}</CreateTime><MsgType>${cdata(msgType)}</MsgType>${typeFields[msgType]}` +
        `<MsgId>${msgId}</MsgId></xml>`;
      // A customer message opens the 48-hour window and a fresh quota of five service messages.
      lastMessageAt.set(message.openId, clock);
      quota.set(message.openId, 0);
      return signedPush(hookUrl, xml, mode);
    },
    event(hookUrl, openId, event, mode) {
      const xml =
        `<xml><ToUserName>${cdata(account.originalId)}</ToUserName><FromUserName>${cdata(openId)}</FromUserName>` +
        `<CreateTime>${Math.floor(clock / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
        `<Event>${cdata(event)}</Event></xml>`;
      return signedPush(hookUrl, xml, mode);
    },
    signedPush,
    readReply(body, encrypted) {
      const outer = flatFields(body);
      if (!encrypted) return outer;
      const { Encrypt: ciphertext, MsgSignature, TimeStamp, Nonce } = outer;
      if (!ciphertext || !MsgSignature || !TimeStamp || !Nonce)
        throw new Error(`encrypted reply lacks fields: ${body}`);
      if (sha1([account.token, TimeStamp, Nonce, ciphertext]) !== MsgSignature) {
        throw new Error('reply MsgSignature does not match');
      }
      return flatFields(decrypt(account, ciphertext));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

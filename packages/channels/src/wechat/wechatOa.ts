// WeChat Official Account customer service (`wechat-oa`): WeChat pushes followers' messages to the server
// URL as signed (optionally encrypted) XML and expects an answer within 5 seconds — either a passive reply
// in that answer or "success"; later replies go through the customer-service message API, which WeChat
// accepts for 48 hours after the follower's last message.
import { randomInt } from 'node:crypto';
import Type from 'typebox';
import {
  type AdapterContext,
  type ChannelAdapter,
  type HttpAnswer,
  type InboundHttpRequest,
  type OutboundMessage,
  PermanentSendFailure,
} from '../adapter.ts';
import { AccessTokenCache, asSendFailure, wechatApi } from './api.ts';
import { aesKeyOf, encryptMessage, isEncodingAesKey, wechatSignature } from './crypto.ts';
import {
  DEFAULT_API_BASE,
  isEncrypted,
  isSubscribe,
  messageOf,
  readPush,
  verifyPush,
  type WechatOaConfig,
} from './push.ts';
import { buildXml } from './xml.ts';

export type { WechatOaConfig } from './push.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const wechatOaConfigSchema = Type.Object(
  {
    appId: Type.String({
      title: 'AppID 开发者ID',
      pattern: '^wx[0-9A-Za-z]{16}$',
      description: 'wx + 16 characters (设置与开发 → 基本配置)',
    }),
    appSecret: Type.String({
      title: 'AppSecret 开发者密码',
      minLength: 16,
      maxLength: 64,
      pattern: '^[0-9A-Za-z]+$',
    }),
    token: Type.String({
      title: 'Token 令牌',
      minLength: 3,
      maxLength: 32,
      pattern: '^[0-9A-Za-z]+$',
      description: 'The same 3–32 letters or digits as in the server configuration (服务器配置)',
    }),
    encodingAesKey: Type.Optional(
      Nullable(
        Type.String({
          title: 'EncodingAESKey 消息加解密密钥',
          pattern: '^[0-9A-Za-z]{43}$',
          description: '43 letters or digits; needed for compatible and safe mode',
        }),
      ),
    ),
    mode: Type.Union([Type.Literal('safe'), Type.Literal('compatible'), Type.Literal('plain')], {
      title: '消息加解密方式 Encryption mode',
      description:
        'As chosen on the Official Account: safe (安全模式, recommended), compatible (兼容模式), plain (明文模式)',
    }),
    apiBase: Type.Optional(
      Nullable(
        Type.String({
          title: 'API base',
          pattern: '^https?://[^\\s/?#]+$',
          description: `Leave empty for ${DEFAULT_API_BASE}; only tests point elsewhere`,
        }),
      ),
    ),
    subscribeGreeting: Type.Optional(
      Nullable(
        Type.String({
          title: '关注欢迎语 Greeting for new followers',
          maxLength: 600,
          description: 'Sent as the passive reply when someone follows the account; none when empty',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * Text per message. WeChat refuses over-long text (45002) at about 2 KB of UTF-8; 600 Chinese characters
 * stay under 2048 bytes. Each split part spends one of the 5 service messages a customer message allows.
 */
const MAX_TEXT = 600;

function target(config: WechatOaConfig) {
  return { apiBase: config.apiBase ?? DEFAULT_API_BASE, appId: config.appId, appSecret: config.appSecret };
}

/**
 * Stored identities are `<appId>:<openid>`; OpenIDs are per app, so another app's identity cannot be used.
 * A customer who follows two accounts has both; the conversation's own pushes name the right OpenID.
 */
function openIdOf(config: WechatOaConfig, to: string, threadMeta?: Record<string, string>): string {
  const separator = to.indexOf(':');
  let openId = separator < 0 ? to : to.slice(separator + 1);
  if (separator >= 0 && to.slice(0, separator) !== config.appId) {
    const fromThread = threadMeta?.openId;
    if (!fromThread)
      throw new PermanentSendFailure('the recipient is a follower of another Official Account');
    openId = fromThread;
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(openId))
    throw new PermanentSendFailure('the recipient is not a WeChat OpenID');
  return openId;
}

/** An XML answer, encrypted and signed when WeChat sent the push encrypted (it then expects that back). */
function xmlAnswer(
  ctx: AdapterContext<WechatOaConfig>,
  request: InboundHttpRequest,
  xml: string,
): HttpAnswer {
  const contentType = 'application/xml; charset=utf-8';
  if (!isEncrypted(request) || !isEncodingAesKey(ctx.config.encodingAesKey)) {
    return { status: 200, contentType, body: xml };
  }
  const encrypted = encryptMessage(aesKeyOf(ctx.config.encodingAesKey), xml, ctx.config.appId);
  const timestamp = String(Math.floor(ctx.now().getTime() / 1000));
  const nonce = String(randomInt(100_000_000, 999_999_999));
  const signature = wechatSignature([ctx.config.token, timestamp, nonce, encrypted]);
  return {
    status: 200,
    contentType,
    body: buildXml([
      ['Encrypt', encrypted],
      ['MsgSignature', signature],
      ['TimeStamp', Number(timestamp)],
      ['Nonce', nonce],
    ]),
  };
}

function textReply(
  ctx: AdapterContext<WechatOaConfig>,
  request: InboundHttpRequest,
  fields: { accountId: string; openId: string },
  text: string,
): HttpAnswer {
  return xmlAnswer(
    ctx,
    request,
    buildXml([
      ['ToUserName', fields.openId],
      ['FromUserName', fields.accountId],
      ['CreateTime', Math.floor(ctx.now().getTime() / 1000)],
      ['MsgType', 'text'],
      ['Content', text],
    ]),
  );
}

/** WeChat takes "success" (or an empty body) as "received, no passive reply" and does not retry. */
const SUCCESS: HttpAnswer = { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' };

/**
 * Builds the adapter. It keeps access tokens in `tokens` (one cache for the process: a token belongs to the
 * WeChat app, not to a request).
 */
export function createWechatOaAdapter(
  tokens: AccessTokenCache = new AccessTokenCache(),
): ChannelAdapter<WechatOaConfig> {
  return {
    id: 'wechat-oa',
    channel: 'wechat',
    configSchema: wechatOaConfigSchema,
    secretFields: ['appSecret', 'token', 'encodingAesKey'],
    capabilities: { maxTextLength: MAX_TEXT, attachments: true, deliveryStatus: false, passiveReply: true },

    verifyInbound: (ctx, request) => verifyPush(ctx.config, request, ctx.now()),

    answerChallenge(_ctx, request) {
      const echo = request.query.echostr;
      if (request.method !== 'GET' || typeof echo !== 'string' || echo === '' || echo.length > 128)
        return null;
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: echo };
    },

    async parseInbound(ctx, request) {
      const fields = readPush(ctx.config, request);
      const api = () => wechatApi(tokens, ctx.http, target(ctx.config), ctx.now);
      const message = await messageOf(ctx.config, fields, api);
      if (message) return { events: [message], answer: SUCCESS };
      const greeting = ctx.config.subscribeGreeting?.trim();
      if (isSubscribe(fields) && greeting) {
        const account = { accountId: fields.ToUserName ?? '', openId: fields.FromUserName ?? '' };
        return { events: [], answer: textReply(ctx, request, account, greeting) };
      }
      return { events: [], answer: SUCCESS };
    },

    passiveReply(ctx, request, event, reply) {
      const openId = event.meta?.openId ?? '';
      const accountId = event.meta?.accountId ?? '';
      return textReply(ctx, request, { accountId, openId }, reply.text);
    },

    async send(ctx, message: OutboundMessage) {
      const openId = openIdOf(ctx.config, message.to, message.threadMeta);
      const attachments = message.attachments ?? [];
      const notImage = attachments.find((file) => !file.mimeType.startsWith('image/'));
      if (notImage) {
        throw new PermanentSendFailure(
          `WeChat service messages carry text and images only, not ${notImage.mimeType}`,
        );
      }
      const api = wechatApi(tokens, ctx.http, target(ctx.config), ctx.now);
      try {
        if (message.text.trim() !== '') {
          await api.postJson('/cgi-bin/message/custom/send', {
            touser: openId,
            msgtype: 'text',
            text: { content: message.text },
          });
        }
        for (const file of attachments) {
          const mediaId = await api.uploadMedia('image', file);
          await api.postJson('/cgi-bin/message/custom/send', {
            touser: openId,
            msgtype: 'image',
            image: { media_id: mediaId },
          });
        }
      } catch (error) {
        throw asSendFailure(error);
      }
      // The API returns no message id; ours identifies the send.
      return { providerMessageId: message.idempotencyKey, status: 'sent' };
    },
  };
}

export const wechatOa = createWechatOaAdapter();

// Reading what WeChat pushes to the server URL: checking its signatures (URL `signature`, and `msg_signature`
// over the encrypted body in compatible/safe mode), decrypting, and turning the XML into channel events.
import type { InboundEvent, InboundHttpRequest, InboundMessageEvent } from '../adapter.ts';
import { InboundParseError } from '../adapter.ts';
import type { WechatApi } from './api.ts';
import {
  aesKeyOf,
  decryptMessage,
  isEncodingAesKey,
  signatureMatches,
  WechatCryptoError,
  wechatSignature,
} from './crypto.ts';
import { fieldsOf, parseXml, wechatXmlLimits, XmlRejected } from './xml.ts';

export interface WechatOaConfig {
  appId: string;
  appSecret: string;
  /** The Token entered on the Official Account's server configuration page. */
  token: string;
  /** 43 characters; needed for compatible and safe mode. */
  encodingAesKey?: string | null;
  /** The message encryption mode chosen on the Official Account: safe refuses unencrypted pushes. */
  mode: 'plain' | 'compatible' | 'safe';
  apiBase?: string | null;
  /** Sent as a passive reply when someone follows the account; none when empty. */
  subscribeGreeting?: string | null;
}

export const DEFAULT_API_BASE = 'https://api.weixin.qq.com';

/** Bodies WeChat sends are a few KB (compatible mode about three times the plain size); refuse more. */
export const MAX_PUSH_BYTES = 256 * 1024;

/** Largest image we download from WeChat for one customer message (WeChat caps image messages at 10 MB). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * How far a push's timestamp may be from our clock. Generous, so a server clock that drifted a little still
 * works, yet a signed URL someone copied from a log stops working within the hour (in plain mode the URL
 * signature does not cover the body, so it could otherwise carry any body forever).
 */
export const MAX_CLOCK_SKEW_SECONDS = 3600;

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export function isEncrypted(request: InboundHttpRequest): boolean {
  return request.query.encrypt_type === 'aes';
}

function bodyText(request: InboundHttpRequest): string {
  if (request.rawBody.length > MAX_PUSH_BYTES) throw new InboundParseError('push body too large');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(request.rawBody);
  } catch {
    throw new InboundParseError('push body is not UTF-8');
  }
}

function parseFields(text: string): Record<string, string> {
  try {
    const root = parseXml(text, wechatXmlLimits);
    if (root.name !== 'xml') throw new InboundParseError('push root element is not <xml>');
    return fieldsOf(root);
  } catch (error) {
    if (error instanceof XmlRejected) throw new InboundParseError(`push XML refused: ${error.message}`);
    throw error;
  }
}

/**
 * True when the request carries WeChat's signatures for this account. Never throws: garbage is `false`.
 * The URL `signature` does not cover the body, so in plain mode anyone who saw one signed URL could post
 * another body with it; compatible and safe mode add `msg_signature` over the encrypted body.
 */
export function verifyPush(config: WechatOaConfig, request: InboundHttpRequest, now: Date): boolean {
  try {
    const { signature, timestamp, nonce } = request.query;
    if (!timestamp || !nonce || !/^\d{1,12}$/.test(timestamp) || nonce.length > 64) return false;
    // WeChat signs with its current time and retries within seconds; an old signed URL is a replay.
    if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return false;
    if (typeof config.token !== 'string' || config.token === '') return false;
    if (!signatureMatches(signature, wechatSignature([config.token, timestamp, nonce]))) return false;
    if (request.method === 'GET') return true;
    if (request.method !== 'POST') return false;
    if (!isEncrypted(request)) return config.mode !== 'safe';
    if (!isEncodingAesKey(config.encodingAesKey)) return false;
    const encrypted = parseFields(bodyText(request)).Encrypt;
    if (!encrypted) return false;
    return signatureMatches(
      request.query.msg_signature,
      wechatSignature([config.token, timestamp, nonce, encrypted]),
    );
  } catch {
    return false;
  }
}

/** The push's fields, decrypted when it came encrypted. Throws InboundParseError for anything unreadable. */
export function readPush(config: WechatOaConfig, request: InboundHttpRequest): Record<string, string> {
  const outer = parseFields(bodyText(request));
  if (!isEncrypted(request)) return outer;
  if (!outer.Encrypt || !isEncodingAesKey(config.encodingAesKey)) {
    throw new InboundParseError('encrypted push without Encrypt, or no EncodingAESKey configured');
  }
  try {
    const inner = decryptMessage(aesKeyOf(config.encodingAesKey), outer.Encrypt, config.appId);
    return parseFields(inner);
  } catch (error) {
    if (error instanceof WechatCryptoError)
      throw new InboundParseError(`push could not be decrypted: ${error.message}`);
    throw error;
  }
}

const PLACEHOLDER: Readonly<Record<string, string>> = {
  voice: '[voice message]',
  video: '[video message]',
  shortvideo: '[video message]',
  file: '[file]',
};

/**
 * The customer's message as a channel event, or null for events that carry none (follow, unfollow, menu
 * views, location reports). Images are downloaded through the temporary-media API.
 */
export async function messageOf(
  config: WechatOaConfig,
  fields: Record<string, string>,
  api: () => WechatApi,
): Promise<InboundMessageEvent | null> {
  const openId = fields.FromUserName ?? '';
  if (!OPENID.test(openId)) throw new InboundParseError('push without a valid FromUserName');
  const msgType = fields.MsgType ?? '';
  if (!msgType) throw new InboundParseError('push without MsgType');
  if (msgType === 'event') return null;
  const msgId = fields.MsgId ?? '';
  // Every user message carries MsgId (a 64-bit number); the fallback keeps replays idempotent without one.
  const providerMessageId = /^[A-Za-z0-9_-]{1,64}$/.test(msgId)
    ? msgId
    : `${openId}:${fields.CreateTime ?? ''}:${msgType}`;
  const createTime = Number(fields.CreateTime);
  const base = {
    kind: 'message' as const,
    providerMessageId,
    identity: { kind: 'wechat' as const, value: `${config.appId}:${openId}`, verified: true },
    meta: { accountId: fields.ToUserName ?? '', openId, msgType },
    ...(Number.isFinite(createTime) && createTime > 0
      ? { receivedAt: new Date(createTime * 1000).toISOString() }
      : {}),
  };

  switch (msgType) {
    case 'text':
      return { ...base, text: fields.Content ?? '' };
    case 'image': {
      const mediaId = fields.MediaId ?? '';
      if (!mediaId) throw new InboundParseError('image push without MediaId');
      let media: { mimeType: string; content: Buffer };
      try {
        media = await api().getMedia(mediaId, MAX_IMAGE_BYTES);
      } catch (error) {
        // Keep the customer's message even when the picture cannot be fetched (too large for the server's
        // download cap, media expired, API refused): the agent sees an image came and can ask again.
        const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
        return { ...base, text: `[image not downloaded: ${reason}]`, meta: { ...base.meta, mediaId } };
      }
      const extension = media.mimeType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'jpg';
      return {
        ...base,
        text: '',
        attachments: [
          {
            name: `wechat-${providerMessageId}.${extension}`,
            mimeType: media.mimeType,
            content: media.content,
          },
        ],
      };
    }
    case 'voice':
      // With speech recognition switched on for the account WeChat sends the words along.
      return { ...base, text: fields.Recognition?.trim() || (PLACEHOLDER.voice as string) };
    case 'location': {
      const label = fields.Label ?? '';
      return {
        ...base,
        text: `📍 ${label} (${fields.Location_X ?? '?'}, ${fields.Location_Y ?? '?'})`.trim(),
      };
    }
    case 'link':
      return {
        ...base,
        text: [fields.Title, fields.Description, fields.Url]
          .filter((part) => part && part.length > 0)
          .join('\n'),
      };
    default:
      return { ...base, text: PLACEHOLDER[msgType] ?? `[${msgType.slice(0, 32)} message]` };
  }
}

export function isSubscribe(fields: Record<string, string>): boolean {
  return fields.MsgType === 'event' && fields.Event === 'subscribe';
}

export type { InboundEvent };

// The demo's customers and how each channel hands their words to the shop. Every customer has a name, a
// mobile number, an email address, a WeChat follower id and a widget visitor id, all made up from their
// number; a third of them are signed in on the shop's site, so the widget proves their phone, and their
// SMS and calls from that phone are the same customer's. Messages enter where the real channels put them:
// the widget and the API through `receiveCustomerMessage` as their gateways do, SMS and WeChat as the
// adapters' normalised events through `acceptInbound`, email as a raw mail through the email parser and
// `acceptInbound`, as the SMTP listener does.
import { createHash } from 'node:crypto';
import { type InboundMessageEvent, parseEmail } from '@zhike/channels';
import type { Inbox } from '@zhike/core';
import { acceptInbound } from '../channels/acceptInbound.ts';
import { DEMO_EMAIL_ADDRESS, DEMO_WECHAT_APP_ID, type DemoShop } from './demoShop.ts';
import { GIVEN_NAMES, SURNAMES } from './lines.ts';
import type { Simulation } from './simulation.ts';

export interface Customer {
  n: number;
  name: string;
  /** E.164, as the SMS vendors and the phone network present it. */
  phone: string;
  email: string;
  /** The follower's OpenID under the demo official account. */
  openId: string;
  visitorId: string;
  externalId: string;
  /** Signed in on the shop's site: the widget's signed identity proves their phone. */
  signedIn: boolean;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function customerNumbered(n: number): Customer {
  const [surname, pinyin] = SURNAMES[n % SURNAMES.length] as readonly [string, string];
  const given = GIVEN_NAMES[Math.floor(n / SURNAMES.length) % GIVEN_NAMES.length] as string;
  const prefix = ['138', '139', '150', '186', '135', '177'][n % 6] as string;
  // n × 7919 (a prime, coprime with 10⁸) keeps every customer's number distinct.
  const line = String((n * 7919 + 24_681_357) % 100_000_000).padStart(8, '0');
  const domain = ['example.com', 'example.net', 'example.org'][n % 3] as string;
  return {
    n,
    name: `${surname}${given}`,
    phone: `+86${prefix}${line}`,
    email: `${pinyin}${n}@${domain}`,
    openId: `o${digest(`openid:${n}`).toString('base64url').slice(0, 27)}`,
    visitorId: `demo-visitor-${n}`,
    externalId: `demo-customer-${n}`,
    signedIn: n % 3 === 0,
  };
}

export type TextChannel = 'widget' | 'api' | 'sms' | 'wechat';

export interface Written {
  conversationId: string;
  messageId: string;
}

/** The channels' own entry points for simulated customers. */
export function channelsOf(sim: Simulation, shop: DemoShop) {
  const { ctx, workspaceId } = sim;
  const acceptDeps = {
    db: ctx.db,
    bus: ctx.bus,
    commands: ctx.commands,
    clock: ctx.clock,
    newId: ctx.newId,
    log: ctx.log,
    files: ctx.attachments,
  };
  const accept = async (inbox: Inbox, event: InboundMessageEvent): Promise<Written> => {
    const accepted = await acceptInbound(acceptDeps, inbox, [event]);
    const first = accepted.messages[0];
    if (!first) throw new Error('the channel took no message');
    return { conversationId: first.conversationId, messageId: first.message.id };
  };
  const numeric = (key: string) => BigInt(`0x${digest(key).toString('hex').slice(0, 15)}`).toString();

  return {
    /** A signed-in visitor opens the widget: the page's signed identity proves their phone. */
    async signIn(who: Customer): Promise<void> {
      if (!who.signedIn) return;
      await ctx.commands.identifyCustomer(workspaceId, {
        identity: { kind: 'visitor', value: who.visitorId, verified: true, source: 'widget' },
        claims: [{ kind: 'phone', value: who.phone, verified: true }],
        name: who.name,
        source: 'widget',
      });
    },

    async write(channel: TextChannel, who: Customer, text: string, key: string): Promise<Written> {
      switch (channel) {
        case 'widget': {
          const r = await ctx.commands.receiveCustomerMessage(workspaceId, {
            inboxId: shop.widget.id,
            identity: { kind: 'visitor', value: who.visitorId, verified: true, source: 'widget' },
            text,
            idempotencyKey: `visitor:${who.visitorId}:${key}`,
            clientMessageId: key,
          });
          return { conversationId: r.conversation.id, messageId: r.message.id };
        }
        case 'api': {
          if (!shop.api) throw new Error('the shop has no API inbox simulated customers may write to');
          const r = await ctx.commands.receiveCustomerMessage(workspaceId, {
            inboxId: shop.api.id,
            identity: { kind: 'external', value: who.externalId, verified: true, source: 'api' },
            profile: { name: who.name },
            text,
            idempotencyKey: `api:${key}`,
            clientMessageId: key,
          });
          return { conversationId: r.conversation.id, messageId: r.message.id };
        }
        case 'sms':
          // As the SMS adapters normalise a reply: the sender's number, which the carrier proves.
          return accept(shop.sms, {
            kind: 'message',
            providerMessageId: `SM${digest(key).toString('hex').slice(0, 32)}`,
            identity: { kind: 'phone', value: who.phone, verified: true },
            text,
          });
        case 'wechat':
          // As the WeChat adapter normalises a signed push: `<AppID>:<OpenID>`, proven by the platform.
          return accept(shop.wechat, {
            kind: 'message',
            providerMessageId: numeric(key),
            identity: { kind: 'wechat', value: `${DEMO_WECHAT_APP_ID}:${who.openId}`, verified: true },
            text,
          });
      }
    },

    /**
     * A mail to the support address, parsed as the SMTP listener would parse it; a reply names the first
     * mail of its thread (`replyTo`), so it continues the same conversation.
     */
    async mail(
      who: Customer,
      letter: { subject: string; body: string; messageId: string; replyTo?: string },
    ): Promise<Written> {
      const raw = rawMail(who, letter, new Date(sim.now()));
      const parsed = await parseEmail(raw, { inboxAddress: DEMO_EMAIL_ADDRESS, authenticatedRelay: false });
      if (parsed.kind !== 'message') throw new Error(`the demo mail was not taken: ${parsed.kind}`);
      return accept(shop.email, parsed.event);
    },
  };
}

export type Channels = ReturnType<typeof channelsOf>;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A plain UTF-8 mail as a phone's mail app sends it. */
function rawMail(
  who: Customer,
  letter: { subject: string; body: string; messageId: string; replyTo?: string },
  at: Date,
): Buffer {
  const headers = [
    `From: =?UTF-8?B?${b64(who.name)}?= <${who.email}>`,
    `To: =?UTF-8?B?${b64('演示小店客服')}?= <${DEMO_EMAIL_ADDRESS}>`,
    `Subject: =?UTF-8?B?${b64(letter.subject)}?=`,
    `Date: ${at.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${letter.messageId}>`,
    ...(letter.replyTo ? [`In-Reply-To: <${letter.replyTo}>`, `References: <${letter.replyTo}>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
  ];
  const body = (b64(letter.body).match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8');
}

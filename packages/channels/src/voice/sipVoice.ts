// The voice inbox: a SIP account of the shop. Calls do not arrive over HTTP and replies are spoken on
// the call, so this adapter has no webhook and sends nothing; it carries the inbox's settings (checked
// when the inbox is saved, the registrar password sealed like every channel secret) for the server's
// SIP user agent and call logic, which read them through `voiceInboxSettings` in the core.
import Type from 'typebox';
import { type ChannelAdapter, PermanentSendFailure } from '../adapter.ts';

const SipUri = Type.String({
  pattern: '^sips?:[^\\s]+$',
  maxLength: 300,
  description: 'e.g. sip:pbx.example.com:5060;transport=udp',
});
/** Comma-separated lists stay strings: inbox settings are flat values. */
const SourceList = Type.String({
  pattern: '^[0-9a-fA-F.:/,;\\s]*$',
  maxLength: 2000,
  description: 'Addresses or CIDR blocks calls may come from, comma-separated',
});
const NumberList = Type.String({
  pattern: '^[0-9A-Za-z+*#_.\\-,;\\s]*$',
  maxLength: 2000,
  description: 'Numbers or extensions this inbox answers, comma-separated (empty = any)',
});

export const SipVoiceConfig = Type.Object(
  {
    mode: Type.Union([Type.Literal('register'), Type.Literal('trunk')], {
      description: 'register: an extension at your PBX or trunk provider; trunk: calls sent straight here',
    }),
    registrar: Type.Optional(SipUri),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s@:;]+$' })),
    authUsername: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s]+$' })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    expires: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400 })),
    allowedSources: Type.Optional(SourceList),
    numbers: Type.Optional(NumberList),
    outboundGateway: Type.Optional(SipUri),
    recordingNotice: Type.Optional(Type.Boolean()),
    recordingNoticeText: Type.Optional(Type.String({ maxLength: 300 })),
    greeting: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type SipVoiceConfig = Type.Static<typeof SipVoiceConfig>;

export const sipVoice: ChannelAdapter<SipVoiceConfig> = {
  id: 'sip-voice',
  channel: 'voice',
  configSchema: SipVoiceConfig,
  secretFields: ['password'],
  capabilities: { maxTextLength: 2000, attachments: false, deliveryStatus: false, passiveReply: false },
  async send() {
    // Core's outbox never queues voice messages; reaching this is a wiring mistake, not a retryable fault.
    throw new PermanentSendFailure('a voice inbox speaks on the call; it cannot send text messages');
  },
};

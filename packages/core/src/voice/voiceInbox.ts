// A voice inbox's settings as the call logic reads them, and which inbox answers a call: in `register`
// mode the inbox is an extension at the shop's PBX or trunk provider (the call comes in for its user), in
// `trunk` mode calls are sent straight to Zhike from allowed addresses for the numbers it answers.
import type { Inbox } from '../model.ts';

export type VoiceInboxMode = 'register' | 'trunk';

export interface VoiceInboxSettings {
  mode: VoiceInboxMode;
  /** register: the registrar, e.g. `sip:pbx.example.com:5060;transport=udp`. */
  registrar: string | null;
  /** register: the extension / account user. */
  username: string | null;
  /** register: the auth user when it differs from the account user. */
  authUsername: string | null;
  /** register: seconds a registration lasts before it is refreshed. */
  expires: number;
  /** trunk: addresses (IPs or CIDR blocks) calls may come from. */
  allowedSources: string[];
  /** trunk: the numbers (user parts) this inbox answers; empty = any number from its sources. */
  numbers: string[];
  /** trunk: where calls we place go (the carrier's SIP gateway), e.g. `sip:gw.example.com:5060`. */
  outboundGateway: string | null;
  recordingNotice: boolean;
  /** null: the workspace locale's default notice. */
  recordingNoticeText: string | null;
  /** null: the bot's own greeting. */
  greeting: string | null;
}

const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(/[,;\n]+/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string' && v.trim().length > 0).map((v) => v.trim())
      : [];
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
const positive = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : null;

/** Reads the stored channel config of a voice inbox; unknown or missing fields take their defaults. */
export function voiceInboxSettings(config: Record<string, unknown> | null): VoiceInboxSettings {
  const c = config ?? {};
  return {
    mode: c.mode === 'trunk' ? 'trunk' : 'register',
    registrar: text(c.registrar),
    username: text(c.username),
    authUsername: text(c.authUsername),
    expires: positive(c.expires) ?? 600,
    allowedSources: list(c.allowedSources),
    numbers: list(c.numbers).map(dialable),
    outboundGateway: text(c.outboundGateway),
    recordingNotice: c.recordingNotice !== false,
    recordingNoticeText: text(c.recordingNoticeText),
    greeting: text(c.greeting),
  };
}

/** Digits (and a leading +) of a number as dialled; other user parts are compared as they are. */
export function dialable(user: string): string {
  const trimmed = user.trim();
  const digits = trimmed.replace(/[\s\-().]/g, '');
  return /^\+?\d+$/.test(digits)
    ? digits.replace(/^(?:\+|00)86(?=\d{7,}$)|^86(?=1\d{10}$)/, '')
    : trimmed.toLowerCase();
}

/** What the SIP side knows about an incoming call when it asks which inbox it belongs to. */
export interface IncomingCallAccount {
  /** The registration (inbox id) the call came in on, when it came through a registrar we registered at. */
  registrationInboxId?: string | null;
  /** The dialled user part (number or extension) of the request URI / To. */
  dialled: string;
  /** The address the INVITE came from. */
  sourceIp: string;
}

export interface VoiceInboxCandidate {
  inbox: Pick<Inbox, 'id' | 'workspaceId' | 'enabled'>;
  settings: VoiceInboxSettings;
}

/**
 * The inbox that answers the call, or null (the call is refused). A registration names its inbox; a trunk
 * call must come from an allowed source and, when the inbox lists numbers, be for one of them. A number
 * listed by an inbox wins over an inbox answering any number, so one trunk can serve several shops.
 */
export function inboxForCall<T extends VoiceInboxCandidate>(
  candidates: readonly T[],
  account: IncomingCallAccount,
): T | null {
  const enabled = candidates.filter((c) => c.inbox.enabled);
  if (account.registrationInboxId) {
    const registered = enabled.find(
      (c) => c.inbox.id === account.registrationInboxId && c.settings.mode === 'register',
    );
    return registered ?? null;
  }
  const dialled = dialable(account.dialled);
  const trunks = enabled.filter(
    (c) =>
      c.settings.mode === 'trunk' &&
      c.settings.allowedSources.some((s) => sourceAllowed(s, account.sourceIp)),
  );
  return (
    trunks.find((c) => c.settings.numbers.includes(dialled)) ??
    trunks.find((c) => c.settings.numbers.length === 0) ??
    null
  );
}

/** An IPv4 address against an address or CIDR block; IPv6 compares as written (no prefix match). */
export function sourceAllowed(rule: string, ip: string): boolean {
  const address = ip.replace(/^::ffff:/, '');
  const [base, bitsText] = rule.split('/');
  if (!base) return false;
  if (bitsText === undefined) return base === address;
  const bits = Number(bitsText);
  const a = ipv4(base);
  const b = ipv4(address);
  if (a === null || b === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

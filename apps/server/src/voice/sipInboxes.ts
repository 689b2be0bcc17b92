// What the SIP user agent needs to know from the voice inboxes of every workspace: the accounts to
// register (register mode, password opened from the inbox's sealed secrets), the trunk sources and the
// users it answers, and which workspace's inbox a ringing call belongs to. Re-read when inboxes change.
import {
  type Inbox,
  type IncomingCallAccount,
  inboxForCall,
  sourceAllowed,
  type VoiceInboxSettings,
  voiceInboxSettings,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { CallParty, CallStart } from '@zhike/voice';

export const SIP_VOICE_ADAPTER = 'sip-voice';

export interface SipInboxAccount {
  /** The inbox id: the user agent names the registration a call came in on by it. */
  id: string;
  workspaceId: string;
  registrar: string;
  user: string;
  password: string;
  authUser?: string;
  expires: number;
}

export interface SipInboxPlan {
  accounts: SipInboxAccount[];
  isTrunkSource(host: string): boolean;
  /** Request-URI users answered; empty = any (a trunk inbox that answers every number exists). */
  answerUsers: string[];
  /** The inbox that takes a call, or null (the call is refused). */
  route(account: IncomingCallAccount): { workspaceId: string; inboxId: string } | null;
}

interface Candidate {
  inbox: Pick<Inbox, 'id' | 'workspaceId' | 'enabled'>;
  settings: VoiceInboxSettings;
}

export function planSipInboxes(inboxes: readonly (Candidate & { password: string | null })[]): SipInboxPlan {
  const accounts: SipInboxAccount[] = [];
  const users = new Set<string>();
  let answersAny = false;
  for (const { inbox, settings, password } of inboxes) {
    if (!inbox.enabled) continue;
    if (settings.mode === 'register') {
      // An extension without registrar, user or password cannot register: it takes no calls.
      if (!settings.registrar || !settings.username || !password) continue;
      accounts.push({
        id: inbox.id,
        workspaceId: inbox.workspaceId,
        registrar: settings.registrar,
        user: settings.username,
        password,
        ...(settings.authUsername ? { authUser: settings.authUsername } : {}),
        expires: settings.expires,
      });
      users.add(settings.username);
    } else if (settings.allowedSources.length > 0) {
      if (settings.numbers.length === 0) answersAny = true;
      for (const n of settings.numbers) users.add(n);
    }
  }
  const registered = new Set(accounts.map((a) => a.id));
  const candidates = inboxes.filter((c) => c.settings.mode === 'trunk' || registered.has(c.inbox.id));
  const sources = inboxes
    .filter((c) => c.inbox.enabled && c.settings.mode === 'trunk')
    .flatMap((c) => c.settings.allowedSources);
  return {
    accounts,
    isTrunkSource: (host) => sources.some((rule) => sourceAllowed(rule, host)),
    answerUsers: answersAny ? [] : [...users],
    route(account) {
      const found = inboxForCall(candidates, account);
      return found ? { workspaceId: found.inbox.workspaceId, inboxId: found.inbox.id } : null;
    },
  };
}

/** Every enabled voice inbox of every workspace, with its settings and registrar password. */
export async function loadSipInboxes(db: Database): Promise<SipInboxPlan> {
  const inboxes = await db.directory.channelInboxes(SIP_VOICE_ADAPTER);
  const withSecrets = [];
  for (const inbox of inboxes) {
    const secrets = await db.forWorkspace(inbox.workspaceId).inboxes.channelSecrets(inbox.id);
    withSecrets.push({
      inbox,
      settings: voiceInboxSettings(inbox.channelConfig),
      password: secrets.password ?? null,
    });
  }
  return planSipInboxes(withSecrets);
}

/** The phone number in a SIP party, when its user part is one (digits, optionally +). */
export function phoneOf(uri: string): string | undefined {
  const user = /^(?:sips?:|tel:)?\+?([^@;:]+)/i.exec(uri.trim())?.[0]?.replace(/^(sips?:|tel:)/i, '') ?? '';
  return /^\+?\d{5,20}$/.test(user) ? user : undefined;
}

/** A SIP call as the entry point takes it. */
export function sipCallStart(call: {
  id: string;
  direction: 'inbound' | 'outbound';
  from: CallParty;
  to: CallParty;
  startedAt: Date;
}): CallStart {
  const phone = call.from.phone ?? phoneOf(call.from.uri);
  return {
    callId: call.id,
    direction: call.direction,
    transport: 'sip',
    from: { ...call.from, ...(phone ? { phone } : {}) },
    to: call.to,
    startedAt: call.startedAt,
  };
}

// Builds a running SIP user agent from its settings: the UDP+TCP transport on one port, the transaction
// layer, the RTP port range, the registrations of the accounts, then the user agent on top. The server's
// composition root calls it with what apps/server/src/config.ts and the voice inboxes give.
import {
  type RegistrationEvent,
  SipRegistration,
  SipTransactionLayer,
  SipTransport,
  systemClock,
} from '../sip/index.ts';
import type { CallTrace, VoiceClock } from '../types.ts';
import { rtpMediaFactory } from './rtpMedia.ts';
import type { AccountRegistration, SipAccount } from './userAgent.ts';
import { SipUserAgent } from './userAgent.ts';

export interface SipUserAgentSettings {
  /** Interface SIP (UDP and TCP) and RTP listen on. */
  host: string;
  /** SIP port for UDP and TCP; 0 picks a free one. */
  port: number;
  /** Address written in Via, Contact and SDP when we sit behind NAT; null uses `host`. */
  publicAddress: string | null;
  rtpPorts: { min: number; max: number };
  accounts: readonly SipAccount[];
  isTrunkSource(host: string): boolean;
  /** Request-URI users answered; empty answers any. */
  answerUsers: readonly string[];
  /** User part of our Contact (and of From on trunk calls); 'zhike' by default. */
  contactUser?: string;
  /** RTP media timeout (no packets from the peer while it should send); 30 s by default. */
  mediaTimeoutMs?: number;
}

/** Registers one account over the stack and keeps it registered until stop(). */
export type RegisterAccount = (account: SipAccount, stack: SipTransactionLayer) => AccountRegistration;

export interface StartSipUserAgentOptions {
  createTrace(): CallTrace;
  /** How accounts register; SipRegistration (REGISTER with digest, refreshed) by default. */
  register?: RegisterAccount;
  /** Registration outcomes per account (registered, failed with the registrar's status, unregistered). */
  onRegistration?: (accountId: string, event: RegistrationEvent) => void;
  clock?: VoiceClock;
  onError?: (error: unknown) => void;
}

/** The default registration: sip/registration.ts with the account's credentials. */
export function registerAccount(
  account: SipAccount,
  stack: SipTransactionLayer,
  options: { clock?: VoiceClock; onEvent?: (event: RegistrationEvent) => void } = {},
): AccountRegistration {
  const registration = new SipRegistration({
    stack,
    registrar: account.registrar,
    user: account.user,
    password: account.password,
    ...(account.authUser ? { authUser: account.authUser } : {}),
    ...(account.domain ? { domain: account.domain } : {}),
    ...(account.expires ? { expires: account.expires } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (options.onEvent) registration.onEvent(options.onEvent);
  registration.start();
  return {
    account,
    sourceHosts: () => registration.sourceHosts(),
    authenticate: registration.authenticate,
    stop: () => registration.stop(),
  };
}

export interface RunningSipUserAgent {
  readonly userAgent: SipUserAgent;
  /** Where SIP listens (the port actually bound when 0 was asked for). */
  readonly address: { host: string; port: number };
  /** Registers added accounts, unregisters removed ones, and takes the new acceptance rules. */
  updateAccounts(
    next: Pick<SipUserAgentSettings, 'accounts' | 'isTrunkSource' | 'answerUsers'>,
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startSipUserAgent(
  settings: SipUserAgentSettings,
  options: StartSipUserAgentOptions,
): Promise<RunningSipUserAgent> {
  const onError = options.onError ?? (() => {});
  const clock = options.clock ?? systemClock();
  const transport = await SipTransport.listen({ host: settings.host, port: settings.port, onError });
  const advertised = settings.publicAddress ?? settings.host;
  const stack = new SipTransactionLayer({
    transport,
    clock,
    onError,
    ...(settings.publicAddress ? { publicAddress: { host: settings.publicAddress } } : {}),
  });
  const register = (account: SipAccount): AccountRegistration => {
    if (options.register) return options.register(account, stack);
    const onEvent = options.onRegistration;
    return registerAccount(account, stack, {
      clock,
      ...(onEvent ? { onEvent: (event: RegistrationEvent) => onEvent(account.id, event) } : {}),
    });
  };
  const registrations = new Map<string, AccountRegistration>();
  for (const account of settings.accounts) registrations.set(account.id, register(account));
  const userAgent = new SipUserAgent({
    stack,
    media: rtpMediaFactory(
      { host: settings.host, min: settings.rtpPorts.min, max: settings.rtpPorts.max },
      {
        onError,
        ...(settings.mediaTimeoutMs !== undefined
          ? { session: { mediaTimeoutMs: settings.mediaTimeoutMs } }
          : {}),
      },
    ),
    clock,
    createTrace: options.createTrace,
    registrations: [...registrations.values()],
    isTrunkSource: settings.isTrunkSource,
    answerUsers: settings.answerUsers,
    mediaAddress: advertised,
    ...(settings.contactUser ? { contactUser: settings.contactUser } : {}),
    onError,
  });
  return {
    userAgent,
    address: { host: settings.host, port: transport.port },
    async updateAccounts(next) {
      const wanted = new Map(next.accounts.map((account) => [account.id, account]));
      const stale: AccountRegistration[] = [];
      for (const [id, registration] of registrations) {
        const account = wanted.get(id);
        // A changed account (new password, registrar…) registers again from scratch.
        if (!account || JSON.stringify(account) !== JSON.stringify(registration.account)) {
          stale.push(registration);
          registrations.delete(id);
        }
      }
      for (const account of next.accounts) {
        if (!registrations.has(account.id)) registrations.set(account.id, register(account));
      }
      userAgent.reconfigure({
        registrations: [...registrations.values()],
        isTrunkSource: next.isTrunkSource,
        answerUsers: next.answerUsers,
      });
      await Promise.allSettled(stale.map((registration) => registration.stop()));
    },
    stop: () => userAgent.stop(),
  };
}

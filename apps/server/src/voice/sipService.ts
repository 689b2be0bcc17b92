// The SIP side of the voice channel: the user agent started from ZHIKE_SIP_* with the voice inboxes'
// accounts and trunk rules, every ringing call routed to the inbox it belongs to (or refused), answered
// and handed to the one entry point (voiceCalls.startInbound) with its RTP leg and its SIP trace. The
// inboxes are read again periodically and on demand, so a new or changed voice inbox needs no restart.
import type { Database } from '@zhike/db';
import {
  type DialRequest,
  type InboundSipCall,
  InMemoryCallTrace,
  type OutboundSipCall,
  type RegisterAccount,
  type RunningSipUserAgent,
  SipRegistration,
  startSipUserAgent,
  type VoiceClock,
} from '@zhike/voice';
import type { Logger } from 'pino';
import type { SipListenConfig } from '../config.ts';
import { loadSipInboxes, type SipInboxPlan, sipCallStart } from './sipInboxes.ts';
import type { VoiceCalls } from './voiceCalls.ts';

export interface SipService {
  /** Where SIP listens (the bound port when 0 was configured). */
  readonly address: { host: string; port: number };
  /** Reads the voice inboxes again: new accounts register, removed ones unregister, trunk rules apply. */
  reload(): Promise<void>;
  /** Places a call (outboundLine.ts decides the target and account from the voice inbox). */
  dial(target: string, request: DialRequest): Promise<OutboundSipCall>;
  stop(): Promise<void>;
}

export interface SipServiceDeps {
  config: SipListenConfig;
  db: Database;
  calls: VoiceCalls;
  log: Logger;
  clock: VoiceClock;
  /** How register-mode inboxes register; REGISTER with digest auth and refresh (sip/registration.ts) by default. */
  register?: RegisterAccount;
  /** How often the inboxes are read again (default 60 s). */
  reloadMs?: number;
}

/** Registers an extension at its registrar and keeps it registered; failures are logged, never thrown. */
export function registrarAccount(deps: { clock: VoiceClock; log: Logger }): RegisterAccount {
  return (account, stack) => {
    const registration = new SipRegistration({
      stack,
      registrar: account.registrar,
      user: account.user,
      password: account.password,
      clock: deps.clock,
      ...(account.authUser ? { authUser: account.authUser } : {}),
      ...(account.domain ? { domain: account.domain } : {}),
      ...(account.expires ? { expires: account.expires } : {}),
    });
    registration.onEvent((event) => {
      // The inbox id names the extension in logs; the password never appears.
      if (event.type === 'failed')
        deps.log.warn(
          { inboxId: account.id, status: event.status, reason: event.reason },
          'SIP registration failed',
        );
      else deps.log.info({ inboxId: account.id, event: event.type }, 'SIP registration');
    });
    registration.start();
    return {
      account,
      sourceHosts: () => registration.sourceHosts(),
      authenticate: registration.authenticate,
      stop: () => registration.stop(),
    };
  };
}

export async function startSipService(deps: SipServiceDeps): Promise<SipService> {
  const { log } = deps;
  const register = deps.register ?? registrarAccount({ clock: deps.clock, log });
  let plan: SipInboxPlan = await loadSipInboxes(deps.db);
  const accountsOf = (p: SipInboxPlan) =>
    p.accounts.map(({ workspaceId: _w, authUser, ...a }) => ({ ...a, ...(authUser ? { authUser } : {}) }));
  const running: RunningSipUserAgent = await startSipUserAgent(
    {
      host: deps.config.host,
      port: deps.config.port,
      publicAddress: deps.config.publicAddress,
      rtpPorts: deps.config.rtpPorts,
      accounts: accountsOf(plan),
      isTrunkSource: (host) => plan.isTrunkSource(host),
      answerUsers: plan.answerUsers,
    },
    {
      createTrace: () => new InMemoryCallTrace(deps.clock),
      clock: deps.clock,
      register,
      // One bad packet or peer must never take the process down; it is logged and the rest goes on.
      onError: (err) => log.warn({ err }, 'SIP error'),
    },
  );

  const take = async (call: InboundSipCall) => {
    const target = plan.route({
      registrationInboxId: call.arrival.accountId,
      dialled: call.arrival.dialled,
      sourceIp: call.arrival.source.host,
    });
    if (!target) {
      call.reject(404);
      return;
    }
    await call.answer();
    const leg = call.media;
    if (!leg) {
      await call.hangup();
      return;
    }
    const started = await deps.calls.startInbound({
      ...target,
      leg,
      trace: call.trace,
      start: sipCallStart({
        id: call.id,
        direction: 'inbound',
        from: call.from,
        to: call.to,
        startedAt: call.startedAt,
      }),
    });
    // The call over on our side (bot or agent hung up): the SIP dialog ends with it.
    await started.done.catch(() => undefined);
    await call.hangup();
  };
  const offIncoming = running.userAgent.onIncoming((call) => {
    take(call).catch(async (err: unknown) => {
      log.error({ err }, 'incoming SIP call failed');
      await call.hangup().catch(() => undefined);
    });
  });

  let reloading: Promise<void> | null = null;
  const reload = () => {
    reloading ??= (async () => {
      try {
        plan = await loadSipInboxes(deps.db);
        await running.updateAccounts({
          accounts: accountsOf(plan),
          isTrunkSource: (host) => plan.isTrunkSource(host),
          answerUsers: plan.answerUsers,
        });
      } finally {
        reloading = null;
      }
    })();
    return reloading;
  };
  const timer = setInterval(() => {
    reload().catch((err: unknown) => log.warn({ err }, 'voice inboxes could not be read again'));
  }, deps.reloadMs ?? 60_000);
  timer.unref();
  log.info({ ...running.address }, 'SIP user agent for voice inboxes started');

  return {
    address: running.address,
    reload,
    dial: (target, request) => running.userAgent.dial(target, request),
    async stop() {
      clearInterval(timer);
      offIncoming();
      await running.stop();
    },
  };
}

/**
 * A voice line was added, changed or switched off: the user agent takes it at once (registers, takes the
 * new trunk rules) instead of at the next periodic read. Failures are logged; the periodic read retries.
 */
export function voiceLinesChanged(
  voice: { sip: Pick<SipService, 'reload'> | null },
  inbox: { channel: string },
  log: Pick<Logger, 'warn'>,
): void {
  if (inbox.channel !== 'voice' || !voice.sip) return;
  voice.sip.reload().catch((err: unknown) => log.warn({ err }, 'voice inboxes could not be read again'));
}

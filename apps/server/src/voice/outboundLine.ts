// Calls we place on a voice inbox's line: the SIP target and identity come from the inbox (its registrar
// account, or its trunk's gateway and first number as caller id), the SIP result becomes a campaign's
// DialOutcome, and an answered call runs through voiceCalls.startOutbound with the brain it was placed for.
import { type DialOutcome, voiceInboxSettings } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { CallEnded, DialRequest, OutboundSipCall, VoiceBrain } from '@zhike/voice';
import type { Logger } from 'pino';
import type { CampaignLine } from '../campaigns/dialler.ts';
import { SIP_VOICE_ADAPTER, sipCallStart } from './sipInboxes.ts';
import type { VoiceCalls } from './voiceCalls.ts';

/** What the SIP result of a call we placed means for a campaign (and a call-back). */
export function dialOutcomeOf(result: 'answered' | CallEnded): DialOutcome {
  if (result === 'answered') return 'answered';
  switch (result.status) {
    case 408:
    case 480:
      return 'no_answer';
    case 486:
    case 600:
      return 'busy';
    case 403:
    case 603:
      return 'rejected';
  }
  // Our own ring timeout ends the call without a status; the far end's CANCEL-free give-ups map by cause.
  if (result.cause === 'no-answer') return 'no_answer';
  if (result.cause === 'busy') return 'busy';
  if (result.cause === 'declined') return 'rejected';
  return 'failed';
}

/** Where a number is dialled through a voice inbox: the SIP target URI and the dial request. */
export function lineRoute(
  settings: ReturnType<typeof voiceInboxSettings>,
  inboxId: string,
  to: string,
): { target: string; request: DialRequest } {
  if (!/^\+?[0-9*#]{2,32}$/.test(to)) throw new Error('the number to call is not dialable');
  if (settings.mode === 'register') {
    const host = hostPort(settings.registrar);
    if (!host || !settings.username) throw new Error('the voice inbox has no registrar account');
    // The user agent sends through the account's registrar with its digest credentials.
    return { target: `sip:${to}@${host}`, request: { accountId: inboxId } };
  }
  const gateway =
    hostPort(settings.outboundGateway) ?? settings.allowedSources.find((s) => !s.includes('/')) ?? null;
  if (!gateway) throw new Error('the trunk voice inbox has no outbound gateway');
  // The caller id is the inbox's first number, in the carrier's domain as trunks expect it.
  const number = settings.numbers[0];
  const domain = gateway.replace(/:\d+$/, '');
  return {
    target: `sip:${to}@${gateway}`,
    request: number ? { from: `sip:${number}@${domain}` } : {},
  };
}

function hostPort(uri: string | null): string | null {
  const match = uri ? /^sips?:(?:[^@;>]*@)?([^;>?\s]+)/i.exec(uri.trim()) : null;
  return match?.[1] ?? null;
}

export interface OutboundLineDeps {
  db: Database;
  calls: VoiceCalls;
  log: Logger;
  /** The running SIP user agent's dial, or null while SIP is not (yet) started. */
  dial: () => ((target: string, request: DialRequest) => Promise<OutboundSipCall>) | null;
  ringTimeoutMs: number;
}

/** The production CampaignLine: campaign calls over the SIP user agent, stored like every call. */
export function createOutboundLine(deps: OutboundLineDeps): CampaignLine {
  return {
    async dial({ workspaceId, inboxId, to, brain }) {
      const dial = deps.dial();
      if (!dial) throw new Error('the SIP user agent is not running');
      const inbox = await deps.db.forWorkspace(workspaceId).inboxes.get(inboxId);
      if (inbox?.channel !== 'voice' || inbox.adapter !== SIP_VOICE_ADAPTER || !inbox.enabled)
        throw new Error(`inbox ${inboxId} is not an enabled SIP voice inbox`);
      const settings = voiceInboxSettings(inbox.channelConfig);
      const { target, request } = lineRoute(settings, inboxId, to);
      const call = await dial(target, { ...request, ringTimeoutMs: deps.ringTimeoutMs });
      try {
        await call.waitForAnswer();
      } catch (ended) {
        return { outcome: dialOutcomeOf(ended as CallEnded), callId: null };
      }
      return {
        outcome: 'answered',
        callId: await runAnswered(deps, call, { workspaceId, inboxId, to, brain }),
      };
    },
  };
}

async function runAnswered(
  deps: OutboundLineDeps,
  call: OutboundSipCall,
  input: { workspaceId: string; inboxId: string; to: string; brain: VoiceBrain },
): Promise<string | null> {
  const leg = call.media;
  if (!leg) {
    await call.hangup();
    return null;
  }
  try {
    const started = await deps.calls.startOutbound({
      workspaceId: input.workspaceId,
      inboxId: input.inboxId,
      leg,
      trace: call.trace,
      brain: input.brain,
      start: sipCallStart({
        id: call.id,
        direction: 'outbound',
        from: call.from,
        to: { ...call.to, phone: input.to },
        startedAt: call.startedAt,
      }),
    });
    await started.done.catch((err: unknown) => deps.log.warn({ err }, 'outbound call wrap-up failed'));
    return started.callId;
  } finally {
    // The call over on our side (the brain hung up, or it could not start): the SIP dialog ends with it.
    await call.hangup().catch(() => undefined);
  }
}

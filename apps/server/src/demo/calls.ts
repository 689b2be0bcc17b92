// One phone call to the shop's line, without audio: the call starts through the same command the SIP
// side calls, the caller's words (what the ASR would have heard) go to the same voice brain that answers
// real calls — so they are the conversation's messages and the bot's real answers — and the transcript
// gets each side's segments with speaking times (about 4 characters a second, reply latencies, the
// occasional barge-in). A hand-off puts the caller in the queue; an agent answers after a wait and talks
// it through, some with a hold over a minute, a long silence while looking something up, or talking over
// the caller, so quality inspection has things to find. The call is stored through the voice module's
// call records, which announce `call.ended` as a real call's end does.
import {
  type CallEndReason,
  type CallTraceEntry,
  type TranscriptSegment,
  voiceInboxSettings,
} from '@zhike/core';
import type { BrainReply, CallStart } from '@zhike/voice';
import { promptsFor } from '../voice/prompts.ts';
import type { Customer } from './cast.ts';
import { DEMO_LINE_NUMBER, DEMO_TRUNK_SOURCE } from './demoShop.ts';
import type { FollowUps } from './followUps.ts';
import {
  CALL_BACK_FROM_LOOKUP,
  CALL_LOOKUPS,
  CALL_WITH_AGENT_AFTER_BOT,
  CALLS,
  type CallScript,
} from './lines.ts';
import { meet, type Run } from './run.ts';

/** Mandarin at an easy pace: about 230 ms a character, plus a breath. */
const speaking = (text: string) => 400 + [...text].length * 230;
/** The hold prompt plays every 20 s while the caller waits. */
const HOLD_REPEAT_MS = 20_000;

type Segment = Omit<TranscriptSegment, 'seq' | 'callId'>;

export async function phoneCall(run: Run, followUps: FollowUps, who: Customer): Promise<void> {
  const { sim, shop, summary } = run;
  const { ctx, workspaceId, rand } = sim;
  const workspace = await sim.store.workspace.get();
  const t0 = sim.now();
  const at = (ms: number) => t0 + Math.round(ms);
  const callId = ctx.newId();
  const start: CallStart = {
    callId,
    direction: 'inbound',
    transport: 'sip',
    from: { uri: `sip:${who.phone}@${DEMO_TRUNK_SOURCE}`, phone: who.phone },
    to: { uri: `sip:${DEMO_LINE_NUMBER}@${DEMO_TRUNK_SOURCE}` },
    startedAt: new Date(t0),
  };
  const started = await ctx.commands.startCall(workspaceId, {
    callId,
    inboxId: shop.voice.id,
    direction: 'inbound',
    transport: 'sip',
    from: { uri: start.from.uri, phone: who.phone },
    to: { uri: start.to.uri },
    startedAt: new Date(t0).toISOString(),
  });
  const conversationId = started.conversation.id;
  meet(run, conversationId, 'voice');
  summary.calls++;

  const segments: (Segment & { callId: string })[] = [];
  const trace: CallTraceEntry[] = [
    { atMs: 0, stage: 'sip', name: 'call.accepted', detail: { transport: 'sip', simulated: true } },
  ];
  const usage = { asrSeconds: 0, ttsCharacters: 0 };
  const language = workspace.locale;
  const add = (
    speaker: Segment['speaker'],
    text: string,
    startMs: number,
    endMs = startMs + speaking(text),
  ) => {
    segments.push({ callId: started.call.id, speaker, text, startMs, endMs, language });
    if (speaker === 'bot') usage.ttsCharacters += [...text].length;
    else usage.asrSeconds += (endMs - startMs) / 1000;
    return endMs;
  };
  /** Milliseconds into the call: where the conversation has got to. */
  let cursor = 0;
  const settle = () => sim.jumpTo(at(cursor));

  // The line's own greeting and recording notice, as the call logic reads them (voiceCalls.ts).
  const settings = voiceInboxSettings(shop.voice.channelConfig);
  const prompts = promptsFor(workspace.locale);
  ctx.voice.brain.register({
    callId,
    recordId: started.call.id,
    workspaceId,
    inboxId: shop.voice.id,
    conversationId,
    identity: { kind: 'phone', value: who.phone },
    locale: workspace.locale,
    greeting: settings.greeting ?? shop.voice.greeting ?? prompts.greeting(workspace.name),
    recordingNotice: settings.recordingNotice
      ? (settings.recordingNoticeText ?? prompts.recordingNotice)
      : null,
    elapsedMs: () => sim.now() - t0,
  });
  const botSays = (reply: BrainReply) => {
    let from = cursor + rand.between(400, 900); // the first sentence is synthesised
    for (const line of reply.say) from = add('bot', line, from) + 250;
    cursor = from;
    settle();
  };

  let reason: CallEndReason = 'caller-hangup';
  let handedOff = false;
  let complaint = false;
  try {
    botSays(await ctx.voice.brain.start(start));
    // Half the callers follow a script; the others ask one of the shop's usual questions.
    const script: CallScript = rand.odds(0.5)
      ? rand.pick(CALLS)
      : { topic: 'general', toBot: [], withAgent: [] };
    const toBot = script.toBot.length > 0 ? script.toBot : [rand.pick(run.questions), '好的谢谢'];
    for (const [i, text] of toBot.entries()) {
      if (i === 0 && rand.odds(0.1)) {
        // The caller hesitates: the bot asks again.
        cursor += 6500;
        settle();
        botSays(await ctx.voice.brain.turn(callId, { kind: 'silence' }));
      }
      const from = cursor + rand.between(300, 1500);
      cursor = add('caller', text, from) + 500; // the endpoint after the last syllable
      settle();
      summary.messages++;
      const reply = await ctx.voice.brain.turn(callId, { kind: 'speech', text });
      botSays(reply);
      if (reply.next === 'handoff') {
        handedOff = true;
        break;
      }
      if (reply.next === 'hangup') {
        reason = 'bot-hangup';
        break;
      }
    }
    if (handedOff) reason = await withAgent(script);
    else cursor += rand.between(500, 2000);
  } finally {
    settle();
    await ctx.voice.brain.end(callId, reason);
  }

  /** The caller waits in the queue, an agent answers and they talk it through. */
  async function withAgent(script: CallScript): Promise<CallEndReason> {
    complaint = script.topic === 'complaint';
    await ctx.voice.records.queued(workspaceId, started.call.id, new Date(at(cursor)).toISOString());
    trace.push({ atMs: Math.round(cursor), stage: 'handoff', name: 'queued' });
    const wait = rand.tail(complaint ? 15 : 35) * 1000;
    usage.ttsCharacters += [...prompts.hold].length * Math.ceil(wait / HOLD_REPEAT_MS);
    cursor += wait;
    settle();
    const agent = complaint ? shop.supervisor : rand.pick(shop.agents);
    await ctx.commands.assignConversation(workspaceId, {
      conversationId,
      assigneeId: agent,
      actor: shop.actor,
    });
    await ctx.voice.records.agentConnected(
      workspaceId,
      started.call.id,
      agent,
      new Date(at(cursor)).toISOString(),
    );
    trace.push({
      atMs: Math.round(cursor),
      stage: 'handoff',
      name: 'agent.connected',
      detail: { agentId: agent },
    });
    summary.callsWithAgent++;

    const lines = [...(script.withAgent.length > 0 ? script.withAgent : CALL_WITH_AGENT_AFTER_BOT)];
    if (rand.odds(0.1)) lines.pop(); // hung up without the closing words
    const interrupts = rand.odds(0.15);
    const lookup = rand.weighted({ none: 60, hold: 15, shortHold: 12, silence: 13 });
    let lastCallerEnd = 0;
    for (const [i, text] of lines.entries()) {
      const caller = i % 2 === 0;
      if (caller) {
        cursor = add('caller', text, cursor + rand.between(300, 1200));
        lastCallerEnd = cursor;
        continue;
      }
      // Talking over the caller: the agent starts a second or so before the caller has finished.
      const from =
        interrupts && i <= 3 ? lastCallerEnd - rand.between(1000, 1800) : cursor + rand.between(300, 1200);
      cursor = add('agent', text, from);
      if (i === 1 && lookup !== 'none') {
        const look = add('agent', rand.pick(CALL_LOOKUPS), cursor + rand.between(300, 900));
        const away =
          lookup === 'hold'
            ? rand.between(65, 150)
            : lookup === 'shortHold'
              ? rand.between(15, 40)
              : rand.between(18, 35);
        if (lookup !== 'silence') {
          trace.push({ atMs: Math.round(look + 500), stage: 'handoff', name: 'hold.started' });
          trace.push({ atMs: Math.round(look + 500 + away * 1000), stage: 'handoff', name: 'hold.ended' });
        }
        cursor = add(
          'agent',
          rand.pick(CALL_BACK_FROM_LOOKUP),
          look + 500 + away * 1000 + rand.between(300, 800),
        );
      }
    }
    settle();
    return rand.odds(0.5) ? 'agent-hangup' : 'caller-hangup';
  }

  const endedAt = new Date(at(cursor)).toISOString();
  trace.push({ atMs: Math.round(cursor), stage: 'sip', name: 'call.ended', detail: { reason } });
  await ctx.voice.records.ended({
    workspaceId,
    callId: started.call.id,
    conversationId,
    direction: 'inbound',
    transport: 'sip',
    endedAt,
    reason,
    recording: null, // no audio in a simulated call
    segments,
    trace,
    usage: { talkSeconds: cursor / 1000, ...usage },
    recognizerId: 'sherpa-onnx',
    synthesizerId: 'espeak-ng',
  });
  await sim.drain();
  // The agent wraps up and closes the call's conversation; most bot-only calls are closed too.
  if (!handedOff && rand.odds(0.15)) return;
  sim.advance(handedOff ? rand.between(20, 90) : rand.between(5, 30));
  await ctx.commands.changeConversationStatus(workspaceId, { conversationId, status: 'resolved' });
  summary.resolved++;
  // The caller complained: the supervisor closes the complaint once the customer confirms the remedy.
  const complaintId = complaint ? await followUps.complaintOf(conversationId) : null;
  if (complaintId) followUps.closeComplaintLater(complaintId);
}

import type { ConsoleServerFrame } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import {
  initialSoftphone,
  type SoftphoneAction,
  type SoftphoneState,
  softphoneReducer,
} from './softphoneState.ts';

const ME = 'agent-1';
const offered = (callId: string, toUserId: string | null = null): ConsoleServerFrame => ({
  type: 'call.offered',
  call: { callId, conversationId: `conv-${callId}`, from: '138****5678', transport: 'sip' },
  toUserId,
});
const frame = (f: ConsoleServerFrame): SoftphoneAction => ({ kind: 'frame', frame: f, userId: ME });
const run = (...actions: SoftphoneAction[]): SoftphoneState =>
  actions.reduce(softphoneReducer, initialSoftphone);

describe('softphone state', () => {
  it('rings for calls offered to everyone or to this agent, once each', () => {
    const s = run(
      frame(offered('c1')),
      frame(offered('c1')),
      frame(offered('c2', 'agent-2')),
      frame(offered('c3', ME)),
    );
    expect(s.ringing.map((c) => c.callId)).toEqual(['c1', 'c3']);
  });

  it('stops ringing when someone else picks up or the call ends', () => {
    const s = run(
      frame(offered('c1')),
      frame(offered('c2')),
      frame({ type: 'call.state', callId: 'c1', conversationId: 'x', state: 'agent', agentId: 'agent-2' }),
      frame({ type: 'call.state', callId: 'c2', conversationId: 'x', state: 'ended', agentId: null }),
    );
    expect(s.ringing).toEqual([]);
  });

  it('answers, connects, collects the transcript in order and ends on transfer', () => {
    let s = run(frame(offered('c1')), { kind: 'answer', callId: 'c1', at: 1000 });
    expect(s.active).toMatchObject({ callId: 'c1', phase: 'connecting', answeredAt: 1000 });
    expect(s.ringing).toEqual([]);
    s = softphoneReducer(
      s,
      frame({ type: 'call.state', callId: 'c1', conversationId: 'x', state: 'agent', agentId: ME }),
    );
    expect(s.active?.phase).toBe('connected');
    const line = (seq: number, text: string): SoftphoneAction =>
      frame({
        type: 'call.transcript',
        callId: 'c1',
        conversationId: 'x',
        line: { seq, speaker: 'caller', text, startMs: seq, endMs: seq },
      });
    s = [line(1, 'b'), line(0, 'a'), line(1, 'b'), line(2, 'c')].reduce(softphoneReducer, s);
    expect(s.active?.transcript.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    const suggest = (seq: number, text: string): SoftphoneAction =>
      frame({
        type: 'call.suggestions',
        callId: 'c1',
        conversationId: 'x',
        seq,
        suggestions: [
          {
            rank: 1,
            text,
            missingVariables: [],
            source: { kind: 'template', id: 't', label: 'T' },
            pinned: false,
            score: 1,
          },
        ],
      });
    s = [suggest(2, 'newer'), suggest(1, 'older')].reduce(softphoneReducer, s);
    expect(s.active?.suggestions).toMatchObject({ seq: 2, items: [{ text: 'newer' }] });
    s = softphoneReducer(s, { kind: 'muted', muted: true });
    s = softphoneReducer(s, { kind: 'held', held: true });
    expect(s.active).toMatchObject({ muted: true, held: true });
    s = softphoneReducer(
      s,
      frame({ type: 'call.state', callId: 'c1', conversationId: 'x', state: 'queued', agentId: null }),
    );
    expect(s.active?.phase).toBe('ended');
    s = softphoneReducer(s, { kind: 'dismiss' });
    expect(s.active).toBeNull();
  });

  it('shows a server refusal and ends the attempt', () => {
    const s = run(
      frame(offered('c1')),
      { kind: 'answer', callId: 'c1', at: 0 },
      frame({ type: 'call.error', code: 'conflict', detail: 'taken', callId: 'c1' }),
    );
    expect(s.error).toBe('conflict');
    expect(s.active?.phase).toBe('ended');
  });

  it('places a call-back: dialling, ringing, connected with its id, then ended', () => {
    const dial: SoftphoneAction = { kind: 'dial', conversationId: 'cv1', at: 5 };
    let s = run(dial);
    expect(s.active).toMatchObject({ callId: '', phase: 'dialling', outbound: true, conversationId: 'cv1' });
    s = [
      frame({ type: 'call.answer', callId: 'cb1', conversationId: 'cv1', sdp: 'v=0' }),
      frame({ type: 'call.progress', callId: 'cb1', progress: 'dialling' }),
      frame({ type: 'call.state', callId: 'cb1', conversationId: 'cv1', state: 'ringing', agentId: ME }),
      frame({ type: 'call.progress', callId: 'cb1', progress: 'ringing' }),
    ].reduce(softphoneReducer, s);
    expect(s.active).toMatchObject({ callId: 'cb1', phase: 'ringing' });
    // The bridge's state frame may come before the progress frame saying it was answered.
    s = [
      frame({ type: 'call.state', callId: 'cb1', conversationId: 'cv1', state: 'agent', agentId: ME }),
      frame({ type: 'call.progress', callId: 'cb1', progress: 'answered' }),
    ].reduce(softphoneReducer, s);
    expect(s.active?.phase).toBe('connected');
    // A second call-back waits until this call is over.
    expect(softphoneReducer(s, dial)).toBe(s);
    s = softphoneReducer(
      s,
      frame({ type: 'call.state', callId: 'cb1', conversationId: 'cv1', state: 'ended', agentId: null }),
    );
    expect(s.active?.phase).toBe('ended');
  });

  it('shows why a call-back did not connect, and ignores other calls’ progress', () => {
    let s = run(
      { kind: 'dial', conversationId: null, at: 0 },
      frame({ type: 'call.answer', callId: 'other', sdp: 'v=0' }),
    );
    expect(s.active?.callId).toBe('');
    s = [
      frame({ type: 'call.answer', callId: 'cb2', conversationId: 'cv9', sdp: 'v=0' }),
      frame({ type: 'call.progress', callId: 'cb3', progress: 'busy' }),
    ].reduce(softphoneReducer, s);
    expect(s.active).toMatchObject({
      callId: 'cb2',
      conversationId: 'cv9',
      phase: 'dialling',
      outcome: null,
    });
    s = softphoneReducer(s, frame({ type: 'call.progress', callId: 'cb2', progress: 'busy' }));
    expect(s.active).toMatchObject({ phase: 'ended', outcome: 'busy' });
    // The state frame may end it before the outcome arrives.
    s = [
      frame({ type: 'call.answer', callId: 'cb4', conversationId: 'cv4', sdp: 'v=0' }),
      frame({ type: 'call.state', callId: 'cb4', conversationId: 'cv4', state: 'ended', agentId: null }),
      frame({ type: 'call.progress', callId: 'cb4', progress: 'no_answer' }),
    ].reduce(softphoneReducer, run({ kind: 'dial', conversationId: 'cv4', at: 0 }));
    expect(s.active).toMatchObject({ callId: 'cb4', phase: 'ended', outcome: 'no_answer' });
    // Refused before it was stored (no phone, no voice inbox): the error ends the attempt.
    s = run(
      { kind: 'dial', conversationId: 'cv1', at: 0 },
      frame({ type: 'call.error', code: 'conflict', detail: 'no phone' }),
    );
    expect(s).toMatchObject({ error: 'conflict', active: { phase: 'ended' } });
  });
});

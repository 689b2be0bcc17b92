// The live-call relay: registry events become console frames (state, a ringing offer with the caller
// masked, transcript lines) and the caller's words on an agent call get reply suggestions.
import type { ConsoleServerFrame } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../context.ts';
import type { BrowserCalls, LiveCallEventView } from '../voice/webrtc/browserCalls.ts';
import { relayLiveCalls } from './consoleCalls.ts';

function setup(agentId: string | null) {
  const frames: ConsoleServerFrame[] = [];
  const asked: string[] = [];
  let emit: (e: LiveCallEventView) => void = () => {};
  const ctx = {
    hub: { toConsoles: (_ws: string, f: ConsoleServerFrame) => frames.push(f), hasConsoles: () => true },
    db: {
      forWorkspace: () => ({
        voice: { calls: { get: async () => ({ transport: 'sip', fromUri: 'sip:13812345678@pbx.example' }) } },
        conversations: { get: async (id: string) => ({ id, inboxId: 'in-1' }) },
      }),
    },
    assist: {
      forMessage: async (_ws: string, input: { message: { text: string } }) => {
        asked.push(input.message.text);
        return { suggestions: [{ rank: 1, text: `re: ${input.message.text}` }] };
      },
    },
    newId: () => '0193-new',
    clock: { now: () => new Date('2026-11-26T06:00:00Z') },
    log: { warn: () => {} },
  } as unknown as AppContext;
  const calls = {
    liveCalls: {
      get: () => ({ callId: 'c1', conversationId: 'conv', state: agentId ? 'agent' : 'queued', agentId }),
      onEvent: (listener: (e: LiveCallEventView) => void) => {
        emit = listener;
        return () => {};
      },
    },
    takeTransferTarget: () => 'agent-9',
  } as unknown as BrowserCalls;
  relayLiveCalls(ctx, calls);
  return { frames, asked, emit: (e: LiveCallEventView) => emit(e) };
}

const transcript = (speaker: 'caller' | 'agent', text: string): LiveCallEventView => ({
  type: 'transcript',
  workspaceId: 'w1',
  callId: 'c1',
  conversationId: 'conv',
  segment: { seq: 3, speaker, text, startMs: 0, endMs: 900 },
});

describe('live-call relay', () => {
  it('rings consoles for a queued call with the caller masked, naming the transfer target', async () => {
    const { frames, emit } = setup(null);
    emit({
      type: 'state',
      workspaceId: 'w1',
      callId: 'c1',
      conversationId: 'conv',
      state: 'queued',
      agentId: null,
    });
    await expect.poll(() => frames.length).toBe(2);
    expect(frames[0]).toMatchObject({ type: 'call.state', state: 'queued' });
    expect(frames[1]).toEqual({
      type: 'call.offered',
      call: { callId: 'c1', conversationId: 'conv', from: '138****5678', transport: 'sip' },
      toUserId: 'agent-9',
    });
  });

  it("streams transcript lines and suggests replies to the caller's words while an agent is on", async () => {
    const { frames, asked, emit } = setup('agent-1');
    emit(transcript('agent', '您好，请讲'));
    emit(transcript('caller', '我的订单还没到'));
    await expect.poll(() => frames.filter((f) => f.type === 'call.suggestions').length).toBe(1);
    expect(asked).toEqual(['我的订单还没到']);
    expect(frames.map((f) => f.type)).toEqual(['call.transcript', 'call.transcript', 'call.suggestions']);
    expect(frames[2]).toMatchObject({ seq: 3, suggestions: [{ text: 're: 我的订单还没到' }] });
  });

  it('suggests nothing while no agent is on the call', async () => {
    const { frames, asked, emit } = setup(null);
    emit(transcript('caller', '转人工'));
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([]);
    expect(frames.map((f) => f.type)).toEqual(['call.transcript']);
  });
});

// The live-call registry tells a call's owner when the agent puts the caller on hold and takes them back
// (quality inspection times holds from the trace this feeds), once per change, and ends a hold when the
// agent leaves.
import type { MediaLeg } from '@zhike/voice';
import { describe, expect, it } from 'vitest';
import { createLiveCalls, type LiveCallControl } from './liveCalls.ts';

function fakeLeg(id: string): MediaLeg {
  let close = () => {};
  const closed = new Promise<void>((resolve) => {
    close = resolve;
  });
  const none = () => () => {};
  return {
    id,
    codec: 'pcmu',
    onAudio: none,
    onDtmf: none,
    onSent: none,
    closed,
    play: () => ({ done: Promise.resolve() }),
    stopPlayback: () => {},
    sendDtmf: async () => {},
    setMuted: () => {},
    close,
    stats: () => ({ packetsSent: 0, packetsReceived: 0, lateSent: 0, droppedReceived: 0 }),
  } as unknown as MediaLeg;
}

describe('holds on a live call', () => {
  it('reports each hold and its end once, and ends a hold when the agent leaves', async () => {
    const calls = createLiveCalls();
    const held: boolean[] = [];
    const control: LiveCallControl = {
      callId: 'c1',
      workspaceId: 'w1',
      conversationId: 'conv1',
      caller: fakeLeg('caller'),
      onAgentConnected: async () => {},
      onAgentLeft: async () => {},
      onAgentHungUp: () => {},
      onBackToBot: async () => {},
      onHold: (h) => held.push(h),
    };
    calls.add(control, 'queued');
    await calls.connectAgent('w1', 'c1', 'agent-1', fakeLeg('agent'));
    calls.hold('w1', 'c1', true);
    calls.hold('w1', 'c1', true);
    calls.hold('w1', 'c1', false);
    calls.hold('w1', 'c1', true);
    await calls.transferToAgent('w1', 'c1', 'agent-2');
    expect(held).toEqual([true, false, true, false]);
  });
});

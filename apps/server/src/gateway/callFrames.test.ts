import { CALL_MAX_SDP } from '@zhike/contracts';
import { describe, expect, it } from 'vitest';
import { isCallFrameType, parseConsoleCallFrame, parseWidgetCallFrame } from './callFrames.ts';

describe('call frames', () => {
  it('reads the widget call frames and nothing else', () => {
    expect(parseWidgetCallFrame({ type: 'call.start', sdp: 'v=0' })).toEqual({
      type: 'call.start',
      sdp: 'v=0',
    });
    expect(parseWidgetCallFrame({ type: 'call.hangup', extra: 1 })).toEqual({ type: 'call.hangup' });
    for (const bad of [
      null,
      'call.start',
      [],
      { type: 'call.start' },
      { type: 'call.start', sdp: '' },
      { type: 'call.start', sdp: 42 },
      { type: 'call.start', sdp: 'x'.repeat(CALL_MAX_SDP + 1) },
      { type: 'call.dial', sdp: 'v=0' },
    ])
      expect(parseWidgetCallFrame(bad)).toBeNull();
  });

  it('reads the softphone frames with their ids and flags checked', () => {
    expect(parseConsoleCallFrame({ type: 'call.answer', callId: 'c1', sdp: 'v=0' })).toEqual({
      type: 'call.answer',
      callId: 'c1',
      sdp: 'v=0',
    });
    expect(parseConsoleCallFrame({ type: 'call.mute', callId: 'c1', muted: true })).toEqual({
      type: 'call.mute',
      callId: 'c1',
      muted: true,
    });
    expect(parseConsoleCallFrame({ type: 'call.hold', callId: 'c1', held: false })?.type).toBe('call.hold');
    expect(parseConsoleCallFrame({ type: 'call.hangup', callId: 'c1' })?.type).toBe('call.hangup');
    expect(parseConsoleCallFrame({ type: 'call.transfer', callId: 'c1', to: { kind: 'bot' } })).toEqual({
      type: 'call.transfer',
      callId: 'c1',
      to: { kind: 'bot' },
    });
    expect(
      parseConsoleCallFrame({ type: 'call.transfer', callId: 'c1', to: { kind: 'agent', userId: 'u-2' } }),
    ).toEqual({ type: 'call.transfer', callId: 'c1', to: { kind: 'agent', userId: 'u-2' } });
    for (const bad of [
      { type: 'call.answer', callId: 'c1' },
      { type: 'call.answer', sdp: 'v=0' },
      { type: 'call.answer', callId: '', sdp: 'v=0' },
      { type: 'call.answer', callId: 'a b', sdp: 'v=0' },
      { type: 'call.answer', callId: 'x'.repeat(101), sdp: 'v=0' },
      { type: 'call.mute', callId: 'c1', muted: 'yes' },
      { type: 'call.hold', callId: 'c1' },
      { type: 'call.transfer', callId: 'c1', to: 'bot' },
      { type: 'call.transfer', callId: 'c1', to: { kind: 'agent' } },
      { type: 'call.transfer', callId: 'c1', to: { kind: 'queue', id: 'q' } },
      { type: 'call.offered', callId: 'c1' },
      { type: 'call.answer', callId: { $gt: '' }, sdp: 'v=0' },
    ])
      expect(parseConsoleCallFrame(bad)).toBeNull();
  });

  it('reads a call-back: one target, an optional phone and inbox, an offer', () => {
    expect(
      parseConsoleCallFrame({ type: 'call.dial', target: { conversationId: 'cv1' }, sdp: 'v=0' }),
    ).toEqual({
      type: 'call.dial',
      target: { conversationId: 'cv1' },
      sdp: 'v=0',
    });
    expect(
      parseConsoleCallFrame({
        type: 'call.dial',
        target: { customerId: 'cu1' },
        phone: '+86 138-0013-8000',
        inboxId: 'in1',
        sdp: 'v=0',
      }),
    ).toEqual({
      type: 'call.dial',
      target: { customerId: 'cu1' },
      phone: '+86 138-0013-8000',
      inboxId: 'in1',
      sdp: 'v=0',
    });
    for (const bad of [
      { type: 'call.dial', target: { conversationId: 'cv1' } },
      { type: 'call.dial', target: {}, sdp: 'v=0' },
      { type: 'call.dial', target: { conversationId: 'cv1', customerId: 'cu1' }, sdp: 'v=0' },
      { type: 'call.dial', target: { conversationId: { $ne: '' } }, sdp: 'v=0' },
      { type: 'call.dial', target: 'cv1', sdp: 'v=0' },
      { type: 'call.dial', target: { conversationId: 'cv1' }, phone: 'sip:evil@host', sdp: 'v=0' },
      { type: 'call.dial', target: { conversationId: 'cv1' }, phone: 13800138000, sdp: 'v=0' },
      { type: 'call.dial', target: { conversationId: 'cv1' }, inboxId: 'a b', sdp: 'v=0' },
      { type: 'call.dial', target: { conversationId: 'cv1' }, sdp: 'x'.repeat(CALL_MAX_SDP + 1) },
    ])
      expect(parseConsoleCallFrame(bad)).toBeNull();
  });

  it('tells call frames from chat frames', () => {
    expect(isCallFrameType({ type: 'call.whatever' })).toBe(true);
    expect(isCallFrameType({ type: 'send' })).toBe(false);
    expect(isCallFrameType(null)).toBe(false);
    expect(isCallFrameType('call.start')).toBe(false);
  });
});

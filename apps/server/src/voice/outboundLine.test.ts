// The SIP result of a call we placed as a campaign outcome, and how a number is routed through a voice
// inbox's line (registrar account or trunk gateway with the inbox's caller id).
import { voiceInboxSettings } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import { dialOutcomeOf, lineRoute } from './outboundLine.ts';

describe('dialOutcomeOf', () => {
  it('maps answers, timeouts, busy, declines and the rest', () => {
    expect(dialOutcomeOf('answered')).toBe('answered');
    expect(dialOutcomeOf({ cause: 'no-answer' })).toBe('no_answer');
    expect(dialOutcomeOf({ cause: 'no-answer', status: 480 })).toBe('no_answer');
    expect(dialOutcomeOf({ cause: 'no-answer', status: 408 })).toBe('no_answer');
    expect(dialOutcomeOf({ cause: 'busy', status: 486 })).toBe('busy');
    expect(dialOutcomeOf({ cause: 'busy', status: 600 })).toBe('busy');
    expect(dialOutcomeOf({ cause: 'declined', status: 603 })).toBe('rejected');
    expect(dialOutcomeOf({ cause: 'unauthorized', status: 403 })).toBe('rejected');
    expect(dialOutcomeOf({ cause: 'not-found', status: 404 })).toBe('failed');
    expect(dialOutcomeOf({ cause: 'unreachable', status: 503 })).toBe('failed');
    expect(dialOutcomeOf({ cause: 'unreachable' })).toBe('failed');
    expect(dialOutcomeOf({ cause: 'failed', status: 488 })).toBe('failed');
  });
});

describe('lineRoute', () => {
  it('dials through the registrar account of a register-mode inbox', () => {
    const settings = voiceInboxSettings({
      mode: 'register',
      registrar: 'sip:pbx.example.com:5070;transport=tcp',
      username: '801',
    });
    expect(lineRoute(settings, 'inbox-1', '+8613800000001')).toEqual({
      target: 'sip:+8613800000001@pbx.example.com:5070',
      request: { accountId: 'inbox-1' },
    });
  });

  it('dials a trunk inbox through its gateway with its first number as caller id', () => {
    const settings = voiceInboxSettings({
      mode: 'trunk',
      allowedSources: '10.0.0.0/8, 192.0.2.7',
      numbers: '4008001234, 4008005678',
      outboundGateway: 'sip:gw.example.com:5080',
    });
    expect(lineRoute(settings, 'inbox-1', '13800000001')).toEqual({
      target: 'sip:13800000001@gw.example.com:5080',
      request: { from: 'sip:4008001234@gw.example.com' },
    });
    // Without a gateway the one plain source address is the carrier's.
    const bare = voiceInboxSettings({ mode: 'trunk', allowedSources: '10.0.0.0/8, 192.0.2.7' });
    expect(lineRoute(bare, 'inbox-1', '13800000001')).toEqual({
      target: 'sip:13800000001@192.0.2.7',
      request: {},
    });
  });

  it('refuses numbers that cannot be dialled and lines without a way out', () => {
    const trunk = voiceInboxSettings({ mode: 'trunk', allowedSources: '10.0.0.0/8' });
    expect(() => lineRoute(trunk, 'i', '13800000001')).toThrow(/no outbound gateway/);
    const register = voiceInboxSettings({ mode: 'register' });
    expect(() => lineRoute(register, 'i', '13800000001')).toThrow(/no registrar account/);
    const gw = voiceInboxSettings({ mode: 'trunk', outboundGateway: 'sip:gw.example.com' });
    expect(() => lineRoute(gw, 'i', 'sip:evil@x;lr')).toThrow(/not dialable/);
    expect(() => lineRoute(gw, 'i', '')).toThrow(/not dialable/);
  });
});

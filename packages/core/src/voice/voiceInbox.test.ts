import { describe, expect, it } from 'vitest';
import { billedMinutes, usageDeltaOf } from './calls.ts';
import { dialable, inboxForCall, sourceAllowed, voiceInboxSettings } from './voiceInbox.ts';

const candidate = (id: string, config: Record<string, unknown>, enabled = true) => ({
  inbox: { id, workspaceId: `ws-${id}`, enabled },
  settings: voiceInboxSettings(config),
});

describe('voice inbox settings', () => {
  it('reads lists from comma-separated text and defaults the rest', () => {
    const s = voiceInboxSettings({
      mode: 'trunk',
      allowedSources: '10.0.0.0/8, 192.0.2.7',
      numbers: '+86 138-0013-8000;400800',
    });
    expect(s.allowedSources).toEqual(['10.0.0.0/8', '192.0.2.7']);
    expect(s.numbers).toEqual(['13800138000', '400800']);
    expect(s.recordingNotice).toBe(true);
    expect(s.expires).toBe(600);
    expect(voiceInboxSettings(null).mode).toBe('register');
    expect(voiceInboxSettings({ expires: -5, greeting: '  ' })).toMatchObject({
      expires: 600,
      greeting: null,
    });
  });

  it('normalises dialled numbers but keeps extensions', () => {
    expect(dialable('+8613800138000')).toBe('13800138000');
    expect(dialable('ZhiKe')).toBe('zhike');
    expect(dialable('(010) 1234')).toBe('0101234');
  });

  it('matches sources by address and CIDR block', () => {
    expect(sourceAllowed('10.1.0.0/16', '10.1.200.3')).toBe(true);
    expect(sourceAllowed('10.1.0.0/16', '10.2.0.1')).toBe(false);
    expect(sourceAllowed('127.0.0.1', '::ffff:127.0.0.1')).toBe(true);
    expect(sourceAllowed('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(sourceAllowed('10.0.0.0/40', '10.0.0.1')).toBe(false);
    expect(sourceAllowed('garbage/8', '10.0.0.1')).toBe(false);
  });
});

describe('which inbox answers a call', () => {
  const shopA = candidate('a', { mode: 'trunk', allowedSources: '192.0.2.0/24', numbers: '4008001' });
  const shopB = candidate('b', { mode: 'trunk', allowedSources: '192.0.2.0/24' });
  const ext = candidate('c', { mode: 'register', registrar: 'sip:pbx.test', username: 'zhike' });
  const all = [shopA, shopB, ext];

  it('prefers the inbox listing the dialled number, then one answering any number', () => {
    expect(inboxForCall(all, { dialled: '4008001', sourceIp: '192.0.2.5' })?.inbox.id).toBe('a');
    expect(inboxForCall(all, { dialled: '4008002', sourceIp: '192.0.2.5' })?.inbox.id).toBe('b');
  });

  it('refuses a trunk call from elsewhere and a registration of no inbox', () => {
    expect(inboxForCall(all, { dialled: '4008001', sourceIp: '198.51.100.1' })).toBeNull();
    expect(
      inboxForCall(all, { registrationInboxId: 'zz', dialled: 'zhike', sourceIp: '1.2.3.4' }),
    ).toBeNull();
  });

  it('finds a registration by its inbox and skips disabled inboxes', () => {
    expect(
      inboxForCall(all, { registrationInboxId: 'c', dialled: 'zhike', sourceIp: '1.2.3.4' })?.inbox.id,
    ).toBe('c');
    const off = candidate('a', { mode: 'trunk', allowedSources: '192.0.2.0/24', numbers: '4008001' }, false);
    expect(inboxForCall([off], { dialled: '4008001', sourceIp: '192.0.2.5' })).toBeNull();
  });
});

describe('voice usage', () => {
  it('bills started minutes and splits by direction', () => {
    expect(billedMinutes(0)).toBe(0);
    expect(billedMinutes(60)).toBe(1);
    expect(billedMinutes(61)).toBe(2);
    expect(
      usageDeltaOf({
        direction: 'outbound',
        usage: { talkSeconds: 90.4, asrSeconds: 3.26, ttsCharacters: 40 },
      }),
    ).toEqual({
      calls: 1,
      inboundSeconds: 0,
      outboundSeconds: 90,
      inboundMinutes: 0,
      outboundMinutes: 2,
      asrSeconds: 3.3,
      ttsCharacters: 40,
    });
    // Answered for 0.4 s: no whole second, but a started minute, as the cost meter bills it.
    expect(
      usageDeltaOf({ direction: 'inbound', usage: { talkSeconds: 0.4, asrSeconds: 0, ttsCharacters: 0 } }),
    ).toMatchObject({ inboundSeconds: 0, inboundMinutes: 1 });
  });
});

import { voiceInboxSettings } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import { phoneOf, planSipInboxes, sipCallStart } from './sipInboxes.ts';

const inbox = (
  id: string,
  workspaceId: string,
  config: Record<string, unknown>,
  password: string | null = null,
  enabled = true,
) => ({
  inbox: { id, workspaceId, enabled },
  settings: voiceInboxSettings(config),
  password,
});

describe('SIP plan from the voice inboxes', () => {
  const plan = planSipInboxes([
    inbox(
      'ext',
      'ws1',
      { mode: 'register', registrar: 'sip:pbx.test', username: 'zhike', expires: 120 },
      's3cret',
    ),
    inbox('nopw', 'ws1', { mode: 'register', registrar: 'sip:pbx.test', username: 'other' }),
    inbox('trunk', 'ws2', { mode: 'trunk', allowedSources: '192.0.2.0/24', numbers: '4008001234' }),
    inbox('off', 'ws3', { mode: 'trunk', allowedSources: '198.51.100.7' }, null, false),
  ]);

  it('registers only complete extensions and answers their users and the trunk numbers', () => {
    expect(plan.accounts).toEqual([
      {
        id: 'ext',
        workspaceId: 'ws1',
        registrar: 'sip:pbx.test',
        user: 'zhike',
        password: 's3cret',
        expires: 120,
      },
    ]);
    expect(plan.answerUsers.sort()).toEqual(['4008001234', 'zhike']);
    expect(plan.isTrunkSource('192.0.2.77')).toBe(true);
    expect(plan.isTrunkSource('198.51.100.7')).toBe(false);
  });

  it('routes a call to the inbox it belongs to, or nowhere', () => {
    expect(plan.route({ registrationInboxId: 'ext', dialled: 'zhike', sourceIp: '10.0.0.1' })).toEqual({
      workspaceId: 'ws1',
      inboxId: 'ext',
    });
    expect(plan.route({ dialled: '+86 4008001234', sourceIp: '192.0.2.9' })).toEqual({
      workspaceId: 'ws2',
      inboxId: 'trunk',
    });
    expect(plan.route({ registrationInboxId: 'nopw', dialled: 'other', sourceIp: '10.0.0.1' })).toBeNull();
    expect(plan.route({ dialled: '4008001234', sourceIp: '203.0.113.1' })).toBeNull();
  });

  it('answers any user when a trunk inbox takes every number', () => {
    const any = planSipInboxes([inbox('t', 'ws', { mode: 'trunk', allowedSources: '127.0.0.1' })]);
    expect(any.answerUsers).toEqual([]);
    expect(any.route({ dialled: 'whatever', sourceIp: '127.0.0.1' })).toEqual({
      workspaceId: 'ws',
      inboxId: 't',
    });
  });
});

describe('a SIP call as the entry point takes it', () => {
  it('finds the caller number in the URI', () => {
    expect(phoneOf('sip:13800138000@192.0.2.1')).toBe('13800138000');
    expect(phoneOf('sip:+8613800138000@x;user=phone')).toBe('+8613800138000');
    expect(phoneOf('sip:alice@192.0.2.1')).toBeUndefined();
    expect(phoneOf('sip:anonymous@anonymous.invalid')).toBeUndefined();
    const start = sipCallStart({
      id: 'abc@host',
      direction: 'inbound',
      from: { uri: 'sip:13800138000@192.0.2.1' },
      to: { uri: 'sip:zhike@pbx' },
      startedAt: new Date(0),
    });
    expect(start).toMatchObject({ transport: 'sip', from: { phone: '13800138000' } });
  });
});

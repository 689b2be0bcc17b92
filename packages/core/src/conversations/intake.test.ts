import { describe, expect, it } from 'vitest';
import { intakeChainKey, intakeChains } from './intake.ts';
import type { ReceiveCustomerMessageInput } from './receiveCustomerMessage.ts';

const message = (inboxId: string, value: string, text: string): ReceiveCustomerMessageInput => ({
  inboxId,
  identity: { kind: 'external', value },
  text,
  idempotencyKey: text,
});

describe('intake chains', () => {
  it('keep each sender’s messages in order and start every sender at its first message', () => {
    const held = [
      message('api', 'a', 'a1'),
      message('api', 'b', 'b1'),
      message('api', 'a', 'a2'),
      message('sms', 'a', 'a-sms'),
      message('api', 'b', 'b2'),
      message('api', 'a', 'a3'),
    ];
    expect(intakeChains(held, intakeChainKey).map((c) => c.map((m) => m.text))).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2'],
      ['a-sms'],
    ]);
  });

  it('tell one value under two kinds of identity apart', () => {
    const phone = {
      ...message('api', '13800138000', 'p'),
      identity: { kind: 'phone' as const, value: '13800138000' },
    };
    const external = message('api', '13800138000', 'e');
    expect(intakeChains([phone, external], intakeChainKey)).toHaveLength(2);
  });
});

import type { ConversationTurn } from '@zhike/core';
import { describe, expect, it } from 'vitest';
import { intentsOf, messageSentiment, sentimentTrend, slotsOf, summaryLanguage } from './handoffCard.ts';

const turn = (target: string | null, confidence: number, label: string | null = null): ConversationTurn => ({
  conversationId: 'c',
  messageId: `m-${Math.random()}`,
  outcome: 'answered',
  target,
  targetLabel: label,
  confidence,
  handoffReason: null,
  question: '',
  at: '2026-11-26T00:00:00.000Z',
});
const points = (...scores: number[]) =>
  scores.map((score, i) => ({ messageId: `m${i}`, score, at: '2026-11-26T00:00:00.000Z' }));

describe('hand-off card parts', () => {
  it('intents: one per target, best confidence, how many turns, the latest understood first', () => {
    const intents = intentsOf([
      turn('refund_request', 0.7, '我要退款'),
      turn(null, 0.2),
      turn('refund_request', 0.95),
      turn('complaint', 0.814, '我要投诉你们'),
    ]);
    expect(intents).toEqual([
      { target: 'complaint', label: '我要投诉你们', confidence: 0.81, turns: 1 },
      { target: 'refund_request', label: '我要退款', confidence: 0.95, turns: 2 },
    ]);
  });

  it('sentiment trend: halves compared, small changes are steady', () => {
    expect(sentimentTrend(points(0.2, 0, -0.6, -0.9))).toBe('worsening');
    expect(sentimentTrend(points(-0.8, -0.5, 0.1, 0.4))).toBe('improving');
    expect(sentimentTrend(points(-0.05, 0, 0.05))).toBe('steady');
    expect(sentimentTrend(points(-1))).toBe('steady');
    expect(messageSentiment('质量太差了，非常生气')).toBeLessThan(0);
  });

  it('slots: the bot memory, a form being filled, an order awaiting its phone check, a call-back', () => {
    expect(
      slotsOf({
        memory: { order_number: 'ZK1', phone: '13812345678', empty: '' },
        pending: { kind: 'form', form: 'refund', values: { reason: '尺码小了' }, awaiting: 'photos' },
      }),
    ).toEqual({ order_number: 'ZK1', phone: '13812345678', reason: '尺码小了' });
    expect(slotsOf({ memory: {}, pending: { kind: 'verify', orderNumber: 'ZK2' } })).toEqual({
      order_number: 'ZK2',
    });
    expect(slotsOf({ pending: { kind: 'callback', phone: '13900001111', question: null } })).toEqual({
      phone: '13900001111',
    });
    expect(slotsOf(null)).toEqual({});
    expect(slotsOf('garbage')).toEqual({});
  });

  it('summary language: the customer’s, else the workspace’s', () => {
    expect(summaryLanguage('My parcel never arrived and I want a refund', 'zh-CN')).toBe('en');
    expect(summaryLanguage('我的快递一直没到，我要退款', 'en-US')).toBe('zh');
    expect(summaryLanguage('12345', 'en-US')).toBe('en');
    expect(summaryLanguage('12345', 'zh-CN')).toBe('zh');
  });
});

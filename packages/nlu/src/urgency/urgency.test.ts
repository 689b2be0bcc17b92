import { describe, expect, it } from 'vitest';
import { detectUrgency, type UrgencyLevel, type UrgencySignal } from './index.ts';

const CASES: readonly [string, UrgencyLevel, UrgencySignal[]][] = [
  ['你好，请问什么时候发货', 'normal', []],
  ['不急，有空帮我看看发票开了没', 'low', []],
  ['just wondering, no rush: do you ship to Canada?', 'low', []],
  ['我要投诉你们的客服', 'high', ['complaint']],
  ['再不处理我就打12315', 'high', ['regulator_threat']],
  ['我要投诉，还要去消协反映', 'critical', ['complaint', 'regulator_threat']],
  ['不解决我就找媒体曝光你们', 'high', ['media_threat']],
  ['我已经联系律师了，准备起诉', 'high', ['legal_threat']],
  ['家里漏水了，赶紧派人来修', 'high', ['emergency_repair']],
  ['突然停电了', 'high', ['emergency_repair']],
  ['厨房着火了！', 'critical', ['safety']],
  ['闻到很重的煤气味，是不是燃气泄漏', 'critical', ['safety']],
  ['这是我第三次问了，还是没人回', 'normal', ['repeat_contact']],
  ['商家拒绝退款，我要投诉', 'high', ['complaint', 'refund_dispute']],
  ['退款还没到账', 'normal', ['refund_dispute']],
  ['I will report you to the BBB', 'high', ['regulator_threat']],
  ['My lawyer will be in touch', 'high', ['legal_threat']],
  ['I want to file a complaint', 'high', ['complaint']],
  ['The heater is sparking and there is smoke!', 'critical', ['safety']],
  ['There is a leak under the sink, water everywhere', 'high', ['emergency_repair']],
  ['This is the third time I am asking, still no reply', 'normal', ['repeat_contact']],
  ["I'll do a chargeback with my bank", 'normal', ['refund_dispute']],
  [
    'Refund denied?! I will post this on twitter and sue you',
    'critical',
    ['media_threat', 'legal_threat', 'refund_dispute'],
  ],
  ['urgent!!! where is my order', 'normal', []],
  // Complaints without the word 投诉, safety in everyday words, and a journalist who only asks.
  ['用了两次就坏了 必须给我个说法', 'high', ['complaint']],
  ['换了一次货还是不行 问题一直没解决', 'high', ['complaint']],
  ['再也不会买你们家的东西了', 'high', ['complaint']],
  ['插头冒火花了 还有焦味', 'critical', ['safety']],
  ['孩子误吞了一个小零件 正在去医院', 'critical', ['safety']],
  ['The phone charger sparked and the cable melted', 'critical', ['safety']],
  ["I've written three times and haven't heard back", 'high', ['complaint']],
  ['我们是报社记者 想约个采访', 'normal', []],
  ['I am a journalist writing about your brand', 'normal', []],
  ['不给个答复我就找记者', 'high', ['media_threat']],
  ['我会去市场监督管理局反映', 'high', ['regulator_threat']],
  ['已经问过两次了 退款还是没到账', 'high', ['repeat_contact', 'refund_dispute']],
  ['你们是不是故意拖着不发货', 'high', ['complaint']],
];

describe('detectUrgency', () => {
  it.each(CASES)('%s → %s', (text, level, signals) => {
    const result = detectUrgency(text);
    expect(result.level).toBe(level);
    expect([...result.signals].sort()).toEqual([...signals].sort());
  });

  it('ignores negated complaints and threats', () => {
    expect(detectUrgency('不是投诉，就是问一下').signals).toEqual([]);
    expect(detectUrgency("I'm not complaining, just asking").signals).toEqual([]);
    expect(detectUrgency("don't worry, I won't sue").signals).toEqual([]);
  });

  it('does not read hotline numbers inside order or phone numbers', () => {
    expect(detectUrgency('我的手机是13150001234').signals).toEqual([]);
    expect(detectUrgency('订单号 8812315001').signals).toEqual([]);
  });

  it('does not flag everyday words that contain a lexicon phrase', () => {
    expect(detectUrgency('firewall settings').signals).toEqual([]);
    expect(detectUrgency('我在小红书上看到你们家的').signals).toEqual([]);
    // A battery, a TV crew or a refund policy question are no safety issue, threat or complaint.
    expect(detectUrgency('可以带电池上飞机吗 有电的那种').signals).toEqual([]);
    expect(detectUrgency('充电到一半就停了正常吗').signals).toEqual([]);
    expect(detectUrgency('我们电视台想给你们拍个专题节目').signals).toEqual([]);
    expect(detectUrgency('不满意的话可以退吗').signals).toEqual([]);
    expect(detectUrgency('退货的运费谁承担').signals).toEqual([]);
  });

  it('reads harm, grievances and repeated failures by kind, not by one wording', () => {
    const cases: [string, UrgencyLevel, UrgencySignal[]][] = [
      ['热水袋漏了 把孩子腿烫起泡了', 'critical', ['safety']],
      ['插座摸上去有电 电到我了', 'critical', ['safety']],
      ['吃完肚子疼一直拉肚子', 'critical', ['safety']],
      ['滑板车的刹车失灵 我摔骨折了', 'critical', ['safety']],
      ['My son got a blister from the heated vest', 'critical', ['safety']],
      ['说好的顺丰 结果发了个最慢的 当我傻吗', 'high', ['complaint']],
      ['问题推来推去 到现在没人跟进', 'high', ['complaint']],
      ['I feel lied to, the photos are misleading', 'high', ['complaint']],
      ['又坏了 要求全额退款', 'high', ['repeat_contact', 'refund_dispute']],
      ['This is the same defect again, I want a full refund', 'high', ['repeat_contact', 'refund_dispute']],
      ['我要找电视台曝光你们', 'high', ['media_threat']],
      // A rhetorical 不是…吗 affirms; a plain 不是 still negates.
      ['这不是玩文字游戏吗', 'high', ['complaint']],
      ['我不是投诉 就是问问', 'normal', []],
      ['退货被你们拒收了 还要我出运费', 'high', ['complaint']],
      ['宝宝把纽扣塞进嘴里了 出血了', 'critical', ['safety']],
      ['再不解决我就在各大平台发帖', 'high', ['media_threat']],
      ['要么给我退款 要么给我换新 别再让我等', 'high', ['complaint']],
      ['插头冒白烟了', 'critical', ['safety']],
    ];
    for (const [text, level, signals] of cases) expect(detectUrgency(text), text).toEqual({ level, signals });
  });
});

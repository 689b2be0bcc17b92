// The peer baseline: routing as hosted customer-service suites configure it without NLU — an ordered
// list of keyword groups per queue (first group with a substring hit wins), VIP customers (by member
// level or tag, as those systems import them) to the VIP desk when they want a person, and a fixed
// priority per group. Written as an owner would set it up from the shop's policy, not fitted to the replay.
import type { Band } from './simulate.ts';

interface KeywordGroup {
  queue: 'complaints' | 'human';
  band: Band;
  keywords: string[];
}

const GROUPS: readonly KeywordGroup[] = [
  {
    queue: 'complaints',
    band: 'urgent',
    keywords: [
      '12315',
      '消协',
      '消费者协会',
      '市场监管',
      '工商',
      '曝光',
      '媒体',
      '微博',
      '律师',
      '起诉',
      '法院',
      '起火',
      '冒烟',
      '漏电',
      '爆炸',
      '受伤',
      '过敏',
      '医院',
      '烫伤',
      '触电',
    ],
  },
  {
    queue: 'complaints',
    band: 'high',
    keywords: [
      '投诉',
      '差评',
      '举报',
      '骗子',
      '垃圾',
      '欺骗',
      '坑人',
      '黑店',
      '太差',
      '态度差',
      '退一赔三',
      '假货',
      '气死',
      '无语',
      '什么破',
    ],
  },
  { queue: 'human', band: 'normal', keywords: ['人工', '转人工', '真人', '客服', '经理', '找人'] },
];

/** Where the keyword router sends a first message: the bot unless a keyword group matches. */
export function keywordRoute(text: string, tier: 'vip' | 'regular' | 'new'): { target: string; band: Band } {
  const lower = text.toLowerCase();
  for (const group of GROUPS) {
    if (!group.keywords.some((k) => lower.includes(k))) continue;
    if (group.queue === 'complaints')
      return { target: 'complaints', band: tier === 'vip' ? 'urgent' : group.band };
    return tier === 'vip' ? { target: 'vip', band: 'high' } : { target: 'general', band: 'normal' };
  }
  return { target: 'bot', band: tier === 'vip' ? 'high' : 'normal' };
}

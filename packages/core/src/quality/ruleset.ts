// Automated quality inspection (智能质检): a workspace's ruleset — what a supervisor checks every
// conversation and call against, each rule worth points deducted from 100 when it is broken — and the
// default zh-CN ruleset a new shop starts from. Saving a ruleset makes a new version; results remember
// the version they were scored with.

/** Who said it, in the scorer's terms (a call's caller is the customer). */
export type Speaker = 'customer' | 'agent' | 'bot';

export type QualityRule =
  | (RuleBase & {
      /** Words an agent (or the bot) must never say; matched across 繁/简, full-width, spaces, punctuation. */
      kind: 'forbidden_phrase';
      params: { phrases: string[]; speakers: ('agent' | 'bot')[] };
    })
  | (RuleBase & {
      /**
       * One of `phrases` must be said: within the agent's first `messages` messages ('opening'), last ones
       * ('closing') or anywhere ('anywhere'). With `whenCustomerSays`, only when the customer said one of
       * those (e.g. refund), and then by the agent after it (e.g. the refund time limit).
       */
      kind: 'required_phrase';
      params: {
        phrases: string[];
        position: 'opening' | 'closing' | 'anywhere';
        messages: number;
        whenCustomerSays: string[];
      };
    })
  | (RuleBase & {
      /** A waiting customer got the agent's reply more than `seconds` later (after the agent joined). */
      kind: 'response_time';
      params: { seconds: number };
    })
  | (RuleBase & {
      /** The customer's anger peaked at `minPeak` or more and at the end was not at least `minDrop` lower. */
      kind: 'anger_not_deescalated';
      params: { minPeak: number; minDrop: number };
    })
  | (RuleBase & {
      /**
       * Agent messages with a rude phrase, a sentiment score at or under `maxScore` (−1…1) or anger at or
       * over `minAnger` (0…1).
       */
      kind: 'negative_tone';
      params: { maxScore: number; minAnger: number; phrases: string[] };
    })
  | (RuleBase & {
      /** Calls: the agent started speaking while the caller spoke, overlapping ≥ `minOverlapMs`, more than `allowed` times. */
      kind: 'call_interruption';
      params: { minOverlapMs: number; allowed: number };
    })
  | (RuleBase & {
      /** Calls: nobody spoke for more than `seconds` (holds excluded). */
      kind: 'call_silence';
      params: { seconds: number };
    })
  | (RuleBase & {
      /** Calls: the agent kept the caller on hold for more than `seconds` at a time. */
      kind: 'call_hold';
      params: { seconds: number };
    })
  | (RuleBase & {
      /** The bot failed to understand `fallbacks` times in a row without offering a human (`offerPhrases`). */
      kind: 'bot_repeated_fallback';
      params: { fallbacks: number; offerPhrases: string[] };
    })
  | (RuleBase & {
      /** The customer asked for a human (`phrases`) and the bot answered instead of handing off. */
      kind: 'bot_ignored_human_request';
      params: { phrases: string[] };
    });

interface RuleBase {
  /** Stable within the workspace ('greeting', 'no-shirking'…): results and scorecards name rules by it. */
  id: string;
  name: string;
  /** Points deducted from 100 when the rule is broken (once per conversation or call). */
  weight: number;
  enabled: boolean;
}

export type QualityRuleKind = QualityRule['kind'];
export const qualityRuleKinds = [
  'forbidden_phrase',
  'required_phrase',
  'response_time',
  'anger_not_deescalated',
  'negative_tone',
  'call_interruption',
  'call_silence',
  'call_hold',
  'bot_repeated_fallback',
  'bot_ignored_human_request',
] as const satisfies readonly QualityRuleKind[];

export interface QualitySampling {
  /** Percent of all results drawn at random for a human review (0–100). */
  randomPercent: number;
  /** Every result scoring under this goes to the review queue too. */
  reviewBelow: number;
}

export interface QualityRuleset {
  /** 0 until first saved (the default ruleset); each save adds one. */
  version: number;
  rules: QualityRule[];
  sampling: QualitySampling;
  updatedAt: string | null;
  updatedBy: string | null;
}

export const MAX_RULES = 50;
export const MAX_PHRASES = 100;
export const MAX_PHRASE_LENGTH = 40;

/** What a ruleset must satisfy beyond its shape (the schema checks types): a list of problems, empty if fine. */
export function rulesetProblems(rules: readonly QualityRule[], sampling: QualitySampling): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (rules.length > MAX_RULES) problems.push(`at most ${MAX_RULES} rules`);
  for (const rule of rules) {
    const at = `rule ${rule.id}`;
    if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(rule.id))
      problems.push(`${at}: the id takes a–z, 0–9, - and _ (at most 40)`);
    if (ids.has(rule.id)) problems.push(`${at}: the id is used twice`);
    ids.add(rule.id);
    if (!(rule.weight >= 0 && rule.weight <= 100)) problems.push(`${at}: the weight is 0–100`);
    for (const list of phraseLists(rule)) {
      if (list.length > MAX_PHRASES) problems.push(`${at}: at most ${MAX_PHRASES} phrases`);
      if (list.some((p) => p.trim().length === 0 || p.length > MAX_PHRASE_LENGTH))
        problems.push(`${at}: phrases are 1–${MAX_PHRASE_LENGTH} characters`);
    }
    if (
      (rule.kind === 'forbidden_phrase' ||
        rule.kind === 'required_phrase' ||
        rule.kind === 'bot_ignored_human_request') &&
      rule.params.phrases.length === 0
    )
      problems.push(`${at}: needs at least one phrase`);
    if (rule.kind === 'forbidden_phrase' && rule.params.speakers.length === 0)
      problems.push(`${at}: needs the agent, the bot or both`);
    if (rule.kind === 'anger_not_deescalated' && rule.params.minDrop < 0)
      problems.push(`${at}: minDrop is 0 or more`);
  }
  if (!(sampling.randomPercent >= 0 && sampling.randomPercent <= 100))
    problems.push('sampling: randomPercent is 0–100');
  if (!(sampling.reviewBelow >= 0 && sampling.reviewBelow <= 100))
    problems.push('sampling: reviewBelow is 0–100');
  return problems;
}

function phraseLists(rule: QualityRule): string[][] {
  switch (rule.kind) {
    case 'forbidden_phrase':
    case 'bot_ignored_human_request':
      return [rule.params.phrases];
    case 'required_phrase':
      return [rule.params.phrases, rule.params.whenCustomerSays];
    case 'negative_tone':
      return [rule.params.phrases];
    case 'bot_repeated_fallback':
      return [rule.params.offerPhrases];
    default:
      return [];
  }
}

/**
 * The ruleset a shop starts with: what Chinese e-commerce customer-service teams commonly inspect (服务
 * 禁语, 开场白与结束语, 身份核实, 退款时效告知, 响应时效, 情绪安抚, 通话抢话/静音/保持), with weights that
 * sum past 100 so that a conversation breaking several rules can fall to 0.
 */
export function defaultQualityRuleset(): QualityRuleset {
  return {
    version: 0,
    updatedAt: null,
    updatedBy: null,
    sampling: { randomPercent: 5, reviewBelow: 60 },
    rules: [
      {
        id: 'forbidden-words',
        name: '服务禁语',
        kind: 'forbidden_phrase',
        weight: 30,
        enabled: true,
        params: {
          speakers: ['agent', 'bot'],
          phrases: [
            '不知道',
            '不归我管',
            '你自己看',
            '你自己查',
            '不是我的问题',
            '我也没办法',
            '爱买不买',
            '听不懂吗',
            '跟你说了多少遍',
            '找别人去',
          ],
        },
      },
      {
        id: 'greeting',
        name: '开场问候',
        kind: 'required_phrase',
        weight: 10,
        enabled: true,
        params: {
          position: 'opening',
          messages: 2,
          whenCustomerSays: [],
          phrases: ['您好', '你好', '很高兴为您服务', '欢迎光临', '亲，在的', 'hello', 'hi'],
        },
      },
      {
        id: 'identity-check',
        name: '身份核实',
        kind: 'required_phrase',
        weight: 10,
        enabled: false,
        params: {
          position: 'anywhere',
          messages: 0,
          whenCustomerSays: ['修改地址', '改地址', '退款', '账户'],
          phrases: ['核实', '手机号后四位', '订单号', '收货人姓名', '验证'],
        },
      },
      {
        id: 'refund-time-limit',
        name: '退款时效告知',
        kind: 'required_phrase',
        weight: 15,
        enabled: true,
        params: {
          position: 'anywhere',
          messages: 0,
          whenCustomerSays: ['退款', '退钱', '退货', 'refund'],
          phrases: ['个工作日', '原路退回', '小时内', '天内到账', 'business days'],
        },
      },
      {
        id: 'closing',
        name: '结束语',
        kind: 'required_phrase',
        weight: 5,
        enabled: true,
        params: {
          position: 'closing',
          messages: 2,
          whenCustomerSays: [],
          phrases: [
            '还有什么可以帮您',
            '还有其他可以帮您',
            '还有其他问题',
            '还有别的需要',
            '随时联系',
            '祝您生活愉快',
            '祝您购物愉快',
            '感谢您的耐心',
            '再见',
            '感谢',
          ],
        },
      },
      {
        id: 'response-time',
        name: '响应超时',
        kind: 'response_time',
        weight: 10,
        enabled: true,
        params: { seconds: 60 },
      },
      {
        id: 'anger',
        name: '客户情绪未安抚',
        kind: 'anger_not_deescalated',
        weight: 15,
        enabled: true,
        params: { minPeak: 0.5, minDrop: 0.2 },
      },
      {
        id: 'tone',
        name: '坐席负面语气',
        kind: 'negative_tone',
        weight: 15,
        enabled: true,
        // The polarity model reads compliance wording as negative ("款项3个工作日内原路退回": −0.74), so
        // only the near-certain scores count; anger words and the phrases carry this rule.
        params: {
          maxScore: -0.95,
          minAnger: 0.5,
          phrases: ['烦不烦', '你有病', '别烦我', '随便你', '关我什么事', '爱咋咋地'],
        },
      },
      {
        id: 'interruption',
        name: '通话抢话',
        kind: 'call_interruption',
        weight: 5,
        enabled: true,
        params: { minOverlapMs: 800, allowed: 1 },
      },
      {
        id: 'silence',
        name: '通话长时间静音',
        kind: 'call_silence',
        weight: 5,
        enabled: true,
        params: { seconds: 15 },
      },
      {
        id: 'hold',
        name: '通话保持过长',
        kind: 'call_hold',
        weight: 5,
        enabled: true,
        params: { seconds: 60 },
      },
      {
        id: 'bot-fallbacks',
        name: '机器人连续未识别未转人工',
        kind: 'bot_repeated_fallback',
        weight: 10,
        enabled: true,
        params: { fallbacks: 2, offerPhrases: ['人工', '转接', 'agent', 'human'] },
      },
      {
        id: 'bot-human-request',
        name: '客户要求人工被忽略',
        kind: 'bot_ignored_human_request',
        weight: 15,
        enabled: true,
        params: { phrases: ['转人工', '人工客服', '找人工', '真人', 'human', 'real person', 'agent'] },
      },
    ],
  };
}

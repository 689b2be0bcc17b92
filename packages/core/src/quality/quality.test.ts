// Each rule kind against hand-computed examples, the score arithmetic, sampling, scorecards and the
// appeal workflow's rules. The folding and sentiment here are small stand-ins with known outputs (the
// server's real NLU-backed ones are tested in apps/server/src/quality).
import { describe, expect, it } from 'vitest';
import { holdsOf, waitsOf } from './loadTranscript.ts';
import { findPhrases, foldText } from './phraseMatch.ts';
import { effectiveScore, type ResultFact, reviewReasonFor } from './results.ts';
import { defaultQualityRuleset, type QualityRule, rulesetProblems } from './ruleset.ts';
import { qualitySummary, scorecards } from './scorecards.ts';
import { scoreTranscript } from './scoreTranscript.ts';
import type { QualityMessage, QualityTranscript, TextAnalysis } from './transcript.ts';

const TRADITIONAL: Record<string, string> = { 歸: '归', 麼: '么', 說: '说', 這: '这', 們: '们' };
const foldChar = (ch: string): string => {
  const half = ch.normalize('NFKC').toLowerCase();
  if (/^[\s\p{P}\p{S}]$/u.test(half)) return '';
  return TRADITIONAL[half] ?? half;
};
/** Sentiment by table: exact texts the tests use, neutral otherwise. */
const SENTIMENT: Record<string, { score: number; anger: number }> = {
  '你们怎么回事，气死我了！': { score: -0.9, anger: 0.8 },
  '还是不行，气死了': { score: -0.8, anger: 0.7 },
  '好的，谢谢': { score: 0.8, anger: 0 },
  有点慢: { score: -0.4, anger: 0.1 },
  你这人真差劲: { score: -0.9, anger: 0.3 },
  气人: { score: -0.3, anger: 0.7 },
  我要退款: { score: -0.9, anger: 0 },
};
const analysis: TextAnalysis = {
  foldChar,
  sentiment: (text) => SENTIMENT[text] ?? { score: 0, anger: 0 },
};

const T0 = Date.parse('2026-11-20T02:00:00.000Z');
let n = 0;
/** A message `s` seconds after T0. */
function msg(speaker: QualityMessage['speaker'], s: number, text: string, botOutcome: string | null = null) {
  n += 1;
  return {
    id: `m${n}`,
    speaker,
    agentId: speaker === 'agent' ? 'a1' : null,
    text,
    at: new Date(T0 + s * 1000).toISOString(),
    botOutcome,
  };
}
const chat = (...messages: QualityMessage[]): QualityTranscript => ({ subject: 'conversation', messages });
const only = (rule: QualityRule) => ({ rules: [rule] });
const base = { name: 'r', weight: 10, enabled: true };

describe('phrase matching', () => {
  it('finds a phrase across traditional characters, full-width letters, spaces and punctuation', () => {
    const folded = foldText('這個不 歸-我、管，ＩＤＫ', foldChar);
    const found = findPhrases(folded, ['不归我管', 'idk'], foldChar);
    expect(found.map((m) => [m.phrase, m.start, m.end])).toEqual([
      ['不归我管', 2, 9],
      ['idk', 10, 13],
    ]);
  });

  it('matches a Latin phrase only as a whole word', () => {
    const folded = foldText('this is fine, hi!', foldChar);
    expect(findPhrases(folded, ['hi'], foldChar).map((m) => m.start)).toEqual([14]);
  });
});

describe('forbidden phrases', () => {
  const rule: QualityRule = {
    ...base,
    id: 'words',
    kind: 'forbidden_phrase',
    weight: 30,
    params: { phrases: ['不知道', '你自己看'], speakers: ['agent'] },
  };
  it('flags every occurrence in agent messages with its place, and ignores the customer saying it', () => {
    const t = chat(
      msg('customer', 0, '我不知道单号'),
      msg('agent', 10, '您好'),
      msg('agent', 20, '不 知 道，你自己看吧'),
    );
    const r = scoreTranscript(t, only(rule), analysis);
    expect(r.score).toBe(70);
    expect(r.violations).toEqual([
      { ruleId: 'words', name: 'r', kind: 'forbidden_phrase', deducted: 30, hits: 2 },
    ]);
    expect(r.hits.map((h) => [h.messageId, h.match, h.excerpt])).toEqual([
      ['m3', [0, 5], '不 知 道，你自己看吧'],
      ['m3', [6, 10], '不 知 道，你自己看吧'],
    ]);
  });
  it('does not apply without an agent message', () => {
    const r = scoreTranscript(chat(msg('customer', 0, '不知道')), only(rule), analysis);
    expect(r).toMatchObject({ score: 100, applied: [], hits: [] });
  });
});

describe('required phrases', () => {
  const greeting: QualityRule = {
    ...base,
    id: 'greeting',
    kind: 'required_phrase',
    params: { phrases: ['您好', 'hello'], position: 'opening', messages: 2, whenCustomerSays: [] },
  };
  it('passes when the greeting is in the first N agent messages, fails when later', () => {
    const ok = chat(msg('customer', 0, '在吗'), msg('agent', 5, '在的'), msg('agent', 6, '您好，请讲'));
    expect(scoreTranscript(ok, only(greeting), analysis).score).toBe(100);
    const late = chat(
      msg('customer', 0, '在吗'),
      msg('agent', 5, '在的'),
      msg('agent', 6, '请讲'),
      msg('agent', 7, '您好'),
    );
    const r = scoreTranscript(late, only(greeting), analysis);
    expect(r.score).toBe(90);
    expect(r.hits[0]?.messageId).toBe(late.subject === 'conversation' ? late.messages[1]?.id : '');
  });
  it('requires the refund time limit only when the customer raised a refund, and after it', () => {
    const refund: QualityRule = {
      ...base,
      id: 'refund',
      kind: 'required_phrase',
      weight: 15,
      params: {
        phrases: ['个工作日', '原路退回'],
        position: 'anywhere',
        messages: 0,
        whenCustomerSays: ['退款'],
      },
    };
    const none = chat(msg('customer', 0, '发货了吗'), msg('agent', 5, '已发货'));
    expect(scoreTranscript(none, only(refund), analysis)).toMatchObject({ score: 100, applied: [] });
    const told = chat(msg('customer', 0, '我要退 款'), msg('agent', 5, '款项3个工作日内原路退回'));
    expect(scoreTranscript(told, only(refund), analysis)).toMatchObject({ score: 100, applied: ['refund'] });
    const silent = chat(
      msg('agent', 0, '3个工作日'),
      msg('customer', 5, '我要退款'),
      msg('agent', 9, '好的'),
    );
    const r = scoreTranscript(silent, only(refund), analysis);
    expect(r.score).toBe(85);
    expect(r.hits[0]).toMatchObject({ match: [2, 4], excerpt: '我要退款' });
  });
  it('checks the closing in the last agent messages', () => {
    const closing: QualityRule = {
      ...base,
      id: 'closing',
      kind: 'required_phrase',
      params: { phrases: ['再见'], position: 'closing', messages: 1, whenCustomerSays: [] },
    };
    const t = chat(msg('agent', 0, '再见'), msg('agent', 5, '好的'));
    expect(scoreTranscript(t, only(closing), analysis).hits[0]?.excerpt).toBe('好的');
  });
});

describe('response time', () => {
  const rule: QualityRule = { ...base, id: 'slow', kind: 'response_time', params: { seconds: 60 } };
  it('counts waits after the agent joined, from the first unanswered customer message', () => {
    const t = chat(
      msg('customer', 0, '在吗'), // the queue's wait, not the agent's
      msg('agent', 300, '您好'),
      msg('customer', 310, '单号是123'),
      msg('customer', 330, '快点'),
      msg('agent', 400, '查到了'), // 90 s after 310
      msg('customer', 410, '好'),
      msg('agent', 460, '还有吗'), // 50 s: fine
    );
    const r = scoreTranscript(t, only(rule), analysis);
    expect(r.score).toBe(90);
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0]).toMatchObject({ value: 90, from: T0 + 310_000, to: T0 + 400_000 });
  });
  it('does not apply to calls', () => {
    const call: QualityTranscript = { subject: 'call', segments: [], holds: [], waits: [] };
    expect(scoreTranscript(call, only(rule), analysis).applied).toEqual([]);
  });
});

describe('anger not de-escalated', () => {
  const rule: QualityRule = {
    ...base,
    id: 'anger',
    kind: 'anger_not_deescalated',
    params: { minPeak: 0.5, minDrop: 0.2 },
  };
  it('passes when the customer ends calmer than the peak', () => {
    const t = chat(
      msg('customer', 0, '你们怎么回事，气死我了！'),
      msg('agent', 5, '抱歉'),
      msg('customer', 9, '好的，谢谢'),
    );
    expect(scoreTranscript(t, only(rule), analysis).score).toBe(100);
  });
  it('fails when the end is not at least minDrop under the peak (0.8 → 0.7)', () => {
    const t = chat(
      msg('customer', 0, '你们怎么回事，气死我了！'),
      msg('agent', 5, '抱歉'),
      msg('customer', 9, '还是不行，气死了'),
    );
    const r = scoreTranscript(t, only(rule), analysis);
    expect(r.score).toBe(90);
    expect(r.hits[0]).toMatchObject({ value: 0.7, from: T0 });
  });
  it('passes a customer who never got angry enough; negativity alone counts half', () => {
    expect(scoreTranscript(chat(msg('customer', 0, '有点慢')), only(rule), analysis).score).toBe(100);
    // A refund request the polarity model reads as −0.9 is 0.45 upset: under the peak of 0.5.
    expect(scoreTranscript(chat(msg('customer', 0, '我要退款')), only(rule), analysis).score).toBe(100);
  });
});

describe('negative tone', () => {
  const rule: QualityRule = {
    ...base,
    id: 'tone',
    kind: 'negative_tone',
    params: { maxScore: -0.7, minAnger: 0.6, phrases: ['烦不烦'] },
  };
  it('flags rude phrasing and clearly negative agent messages, not the customer', () => {
    const t = chat(
      msg('customer', 0, '你这人真差劲'),
      msg('agent', 5, '烦 不 烦啊'),
      msg('agent', 6, '你这人真差劲'),
      msg('agent', 7, '有点慢'),
      msg('agent', 8, '气人'),
    );
    const r = scoreTranscript(t, only(rule), analysis);
    expect(r.hits.map((h) => [h.messageId, h.match, h.value])).toEqual([
      [t.subject === 'conversation' ? t.messages[1]?.id : '', [0, 5], null],
      [t.subject === 'conversation' ? t.messages[2]?.id : '', null, -0.9],
      [t.subject === 'conversation' ? t.messages[4]?.id : '', null, -0.3],
    ]);
  });
});

describe('calls', () => {
  const seg = (
    seq: number,
    speaker: 'customer' | 'agent' | 'bot',
    startMs: number,
    endMs: number,
    text = '…',
  ) => ({
    seq,
    speaker,
    startMs,
    endMs,
    text,
  });
  it('counts interruptions of at least minOverlapMs, over the allowed number', () => {
    const rule: QualityRule = {
      ...base,
      id: 'interrupt',
      kind: 'call_interruption',
      params: { minOverlapMs: 800, allowed: 1 },
    };
    const call = (allowedExtra: boolean): QualityTranscript => ({
      subject: 'call',
      holds: [],
      waits: [],
      segments: [
        seg(0, 'customer', 0, 5000),
        seg(1, 'agent', 4000, 7000), // 1000 ms over the caller
        seg(2, 'customer', 8000, 12_000),
        seg(3, 'agent', 11_500, 13_000), // 500 ms: a backchannel, not an interruption
        ...(allowedExtra ? [seg(4, 'customer', 14_000, 20_000), seg(5, 'agent', 15_000, 16_000)] : []),
      ],
    });
    expect(scoreTranscript(call(false), only(rule), analysis).score).toBe(100);
    const r = scoreTranscript(call(true), only(rule), analysis);
    expect(r.score).toBe(90);
    expect(r.hits.map((h) => [h.seq, h.value])).toEqual([
      [1, 1000],
      [5, 1000],
    ]);
  });
  it('flags silences over the limit, not counting holds and the queue wait', () => {
    const rule: QualityRule = { ...base, id: 'silence', kind: 'call_silence', params: { seconds: 10 } };
    const t: QualityTranscript = {
      subject: 'call',
      holds: [{ startMs: 30_000, endMs: 90_000 }],
      waits: [{ startMs: 100_000, endMs: 160_000 }],
      segments: [
        seg(0, 'bot', 0, 2000),
        seg(1, 'customer', 3000, 5000),
        seg(2, 'agent', 17_000, 20_000), // 12 s of silence
        seg(3, 'customer', 25_000, 28_000),
        seg(4, 'agent', 95_000, 96_000), // 67 s, 60 of them on hold: 7 s
        seg(5, 'agent', 170_000, 171_000), // 74 s, 60 of them waiting: 14 s
      ],
    };
    const r = scoreTranscript(t, only(rule), analysis);
    expect(r.hits.map((h) => [h.seq, h.value, h.from, h.to])).toEqual([
      [2, 12, 5000, 17_000],
      [5, 14, 96_000, 170_000],
    ]);
  });
  it('flags holds over the limit, read from the call trace', () => {
    const rule: QualityRule = { ...base, id: 'hold', kind: 'call_hold', params: { seconds: 60 } };
    const call = {
      startedAt: '2026-11-20T02:00:00.000Z',
      endedAt: '2026-11-20T02:10:00.000Z',
      handedOffAt: '2026-11-20T02:00:30.000Z',
      agentAnsweredAt: '2026-11-20T02:01:00.000Z',
      trace: [
        { atMs: 100_000, stage: 'agent', name: 'hold.started' },
        { atMs: 130_000, stage: 'agent', name: 'hold.ended' },
        { atMs: 200_000, stage: 'agent', name: 'hold.started' },
        { atMs: 290_000, stage: 'agent', name: 'hold.ended' },
        { atMs: 500_000, stage: 'agent', name: 'hold.started' },
      ],
    };
    const holds = holdsOf(call);
    expect(holds).toEqual([
      { startMs: 100_000, endMs: 130_000 },
      { startMs: 200_000, endMs: 290_000 },
      { startMs: 500_000, endMs: 600_000 },
    ]);
    expect(waitsOf(call)).toEqual([{ startMs: 30_000, endMs: 60_000 }]);
    const r = scoreTranscript({ subject: 'call', segments: [], holds, waits: [] }, only(rule), analysis);
    expect(r.hits.map((h) => h.value)).toEqual([90, 100]);
  });
});

describe('bot checks', () => {
  it('flags fallbacks in a row without an offer of a person', () => {
    const rule: QualityRule = {
      ...base,
      id: 'fallbacks',
      kind: 'bot_repeated_fallback',
      params: { fallbacks: 2, offerPhrases: ['人工'] },
    };
    const t = chat(
      msg('customer', 0, '啊啊', 'fallback'),
      msg('bot', 1, '没听懂，请换个说法'),
      msg('customer', 2, '哦哦', 'fallback'),
      msg('bot', 3, '没听懂，可以转人工'),
      msg('customer', 4, '嗯嗯', 'fallback'),
      msg('bot', 5, '没听懂'),
      msg('customer', 6, '呃', 'fallback'),
    );
    const r = scoreTranscript(t, only(rule), analysis);
    // The 2nd fallback in a row is a hit; the offer of a person resets; the 3rd and 4th make another run.
    expect(r.hits.map((h) => h.excerpt)).toEqual(['哦哦', '呃']);
  });
  it('flags the bot answering after the customer asked for a person', () => {
    const rule: QualityRule = {
      ...base,
      id: 'human',
      kind: 'bot_ignored_human_request',
      params: { phrases: ['转人工', 'human'] },
    };
    const t = chat(
      msg('customer', 0, '我要转 人工', 'answered'),
      msg('bot', 1, '您可以查看帮助中心'),
      msg('customer', 2, 'HUMAN please', 'handed_off'),
    );
    const r = scoreTranscript(t, only(rule), analysis);
    expect(r.hits.map((h) => [h.excerpt, h.match])).toEqual([['我要转 人工', [2, 6]]]);
    // Without bot turns (an agent served it) the check does not apply.
    expect(scoreTranscript(chat(msg('customer', 0, '转人工')), only(rule), analysis).applied).toEqual([]);
  });
});

describe('scoring and the ruleset', () => {
  it('deducts each broken rule once, never under 0, and skips disabled rules', () => {
    const words: QualityRule = {
      ...base,
      id: 'w',
      kind: 'forbidden_phrase',
      weight: 70,
      params: { phrases: ['不知道'], speakers: ['agent'] },
    };
    const tone: QualityRule = {
      ...base,
      id: 't',
      kind: 'negative_tone',
      weight: 50,
      params: { maxScore: -0.7, minAnger: 0.6, phrases: ['烦不烦'] },
    };
    const t = chat(msg('agent', 0, '不知道'), msg('agent', 1, '不知道，烦不烦'));
    expect(scoreTranscript(t, { rules: [words, tone] }, analysis).score).toBe(0);
    expect(scoreTranscript(t, { rules: [words, { ...tone, enabled: false }] }, analysis).score).toBe(30);
  });
  it('accepts the default ruleset and reports what is wrong with a bad one', () => {
    const d = defaultQualityRuleset();
    expect(rulesetProblems(d.rules, d.sampling)).toEqual([]);
    const bad: QualityRule[] = [
      { ...base, id: 'A b', kind: 'forbidden_phrase', weight: 120, params: { phrases: [], speakers: [] } },
      { ...base, id: 'x', kind: 'response_time', params: { seconds: 5 } },
      { ...base, id: 'x', kind: 'response_time', params: { seconds: 5 } },
    ];
    expect(rulesetProblems(bad, { randomPercent: 101, reviewBelow: 60 })).toEqual([
      'rule A b: the id takes a–z, 0–9, - and _ (at most 40)',
      'rule A b: the weight is 0–100',
      'rule A b: needs at least one phrase',
      'rule A b: needs the agent, the bot or both',
      'rule x: the id is used twice',
      'sampling: randomPercent is 0–100',
    ]);
  });
  it('the default ruleset flags a planted violation and passes a clean chat', () => {
    const d = defaultQualityRuleset();
    const clean = chat(
      msg('customer', 0, '我要退款'),
      msg('agent', 20, '您好，很高兴为您服务'),
      msg('agent', 30, '已为您提交，款项3个工作日内原路退回'),
      msg('customer', 40, '好的，谢谢'),
      msg('agent', 50, '还有什么可以帮您？祝您生活愉快'),
    );
    expect(scoreTranscript(clean, d, analysis)).toMatchObject({ score: 100, hits: [] });
    const planted = chat(
      msg('customer', 0, '我要退款'),
      msg('agent', 20, '您好，很高兴为您服务'),
      msg('agent', 30, '这个不歸我管'),
      msg('customer', 40, '好的，谢谢'),
      msg('agent', 50, '还有什么可以帮您？'),
    );
    const r = scoreTranscript(planted, d, analysis);
    expect(r.violations.map((v) => v.ruleId)).toEqual(['forbidden-words', 'refund-time-limit']);
    expect(r.score).toBe(55);
  });
});

describe('sampling, scorecards and the summary', () => {
  it('reviews every low score and a random share of the rest', () => {
    const sampling = { randomPercent: 10, reviewBelow: 60 };
    expect(reviewReasonFor(59, sampling, 0.99)).toBe('low_score');
    expect(reviewReasonFor(60, sampling, 0.099)).toBe('random');
    expect(reviewReasonFor(60, sampling, 0.1)).toBeNull();
    expect(reviewReasonFor(100, { randomPercent: 0, reviewBelow: 0 }, 0)).toBeNull();
  });
  const fact = (
    agentId: string | null,
    score: number,
    day: string,
    rules: string[],
    adjusted: number | null = null,
  ): ResultFact => ({
    agentId,
    subject: agentId ? 'conversation' : 'call',
    score,
    adjustedScore: adjusted,
    endedAt: `${day}T08:00:00.000Z`,
    violations: rules.map((ruleId) => ({ ruleId, kind: 'forbidden_phrase', deducted: 10, hits: 1 })),
  });
  const facts = [
    fact('a1', 70, '2026-11-20', ['words', 'greeting']),
    fact('a1', 50, '2026-11-21', ['words'], 90),
    fact('a1', 100, '2026-11-21', []),
    fact('a2', 40, '2026-11-20', ['slow']),
    fact(null, 90, '2026-11-21', ['bot']),
  ];
  it('gives each agent an average after appeals, counts, worst rules and a daily trend', () => {
    expect(effectiveScore({ score: 50, adjustedScore: 90 })).toBe(90);
    const cards = scorecards(facts, { reviewBelow: 60, agentIds: ['a1', 'a2', 'a3'] });
    expect(cards.map((c) => [c.agentId, c.count, c.average, c.below])).toEqual([
      ['a2', 1, 40, 1],
      ['a1', 3, 86.7, 0],
      ['a3', 0, null, 0],
    ]);
    const a1 = cards[1];
    expect(a1?.worstRules).toEqual([
      { ruleId: 'words', count: 2, rate: 0.667 },
      { ruleId: 'greeting', count: 1, rate: 0.333 },
    ]);
    expect(a1?.trend).toEqual([
      { day: '2026-11-20', average: 70, count: 1 },
      { day: '2026-11-21', average: 95, count: 2 },
    ]);
  });
  it("counts the trend by the day given (the shop's time zone in the server)", () => {
    const late = [
      fact('a1', 80, '2026-11-20', []),
      { ...fact('a1', 60, '2026-11-20', []), endedAt: '2026-11-20T17:00:00.000Z' },
    ];
    const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(scorecards(late, { reviewBelow: 60, dayOf: shanghai })[0]?.trend).toEqual([
      { day: '2026-11-20', average: 80, count: 1 },
      { day: '2026-11-21', average: 60, count: 1 },
    ]);
  });
  it('summarises the workspace, the bot included', () => {
    const s = qualitySummary(facts, 60);
    expect(s).toMatchObject({ count: 5, average: 78, below: 1, conversations: 4, calls: 1 });
    expect(s.topRules[0]).toEqual({ ruleId: 'words', count: 2, rate: 0.4 });
    expect(s.agents.map((a) => a.agentId)).toEqual(['a2', 'a1', null]);
  });
});

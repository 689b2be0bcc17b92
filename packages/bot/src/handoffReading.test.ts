// The hand-off reading: the vote between the rules and the hand-off model, and what the retail bot does
// with it. The retail template's own hand-off examples train the model, as the server loads them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledBot, compileBot, compiledBotFromJSON } from './compile.ts';
import { combineReadings, type HandoffExample, type HandoffKind, rulesReading } from './handoffReading.ts';
import type { BotTemplate } from './template.ts';
import { conversation, recordingPorts } from './test-support.ts';

const calm = { level: 'normal', signals: [] } as unknown as Parameters<typeof rulesReading>[0]['urgency'];
const urgency = (signals: string[]) =>
  ({ level: 'high', signals }) as unknown as Parameters<typeof rulesReading>[0]['urgency'];
const probabilities = (routine: number, person: number, complaint: number, grave = 0) => ({
  routine,
  person,
  complaint,
  grave,
});
const facts = { urgency: calm, asksForHuman: false, ownAnswer: false };

describe('rules reading', () => {
  const base = {
    urgency: calm,
    angry: false,
    asksForHuman: false,
    inScope: true,
    handoffIntent: null,
    ownAnswer: false,
  };
  it('reads a threat or safety problem the lexicon found as grave', () => {
    expect(rulesReading({ ...base, urgency: urgency(['safety']) })).toBe('grave');
    expect(rulesReading({ ...base, urgency: urgency(['complaint', 'media_threat']) })).toBe('grave');
  });
  it('reads urgency, anger and the complaint intent as a complaint', () => {
    expect(rulesReading({ ...base, urgency: urgency(['complaint']) })).toBe('complaint');
    expect(rulesReading({ ...base, angry: true })).toBe('complaint');
    expect(rulesReading({ ...base, handoffIntent: 'complaint' })).toBe('complaint');
  });
  it('reads a request for a person, a hand-off intent and an out-of-scope message as a person’s', () => {
    expect(rulesReading({ ...base, asksForHuman: true })).toBe('person');
    expect(rulesReading({ ...base, handoffIntent: 'person' })).toBe('person');
    expect(rulesReading({ ...base, inScope: false })).toBe('person');
    expect(rulesReading(base)).toBe('routine');
  });
});

describe('combining the readings', () => {
  it('keeps the rules without a model, and where the model is not sure enough', () => {
    expect(combineReadings('routine', null, facts, 0.7).kind).toBe('routine');
    // 0.8 against 0.2 + 0.7: the rules' reading still wins.
    expect(combineReadings('routine', probabilities(0.2, 0.8, 0), facts, 0.7).kind).toBe('routine');
  });
  it('lets a sure model overrule the rules', () => {
    const reading = combineReadings('routine', probabilities(0.02, 0.03, 0.95), facts, 0.7);
    expect(reading).toEqual({
      kind: 'complaint',
      rules: 'routine',
      learned: probabilities(0.02, 0.03, 0.95),
    });
    expect(combineReadings('complaint', probabilities(0.97, 0.02, 0.01), facts, 0.7).kind).toBe('routine');
    expect(combineReadings('routine', probabilities(0.01, 0.98, 0.01), facts, 0.7).kind).toBe('person');
  });
  it('reads a complaint as grave on the model’s majority only', () => {
    // Complaint and grave together outvote the rules' routine reading; grave holds the majority.
    const grave = combineReadings('routine', probabilities(0.05, 0, 0.3, 0.65), facts, 0.7);
    expect(grave.kind).toBe('grave');
    expect(combineReadings('routine', probabilities(0.05, 0, 0.5, 0.45), facts, 0.7).kind).toBe('complaint');
    // Neither alone would have outvoted the rules.
    expect(combineReadings('routine', probabilities(0.2, 0, 0.4, 0.4), facts, 0.7).kind).toBe('routine');
    expect(combineReadings('complaint', probabilities(0, 0, 0.2, 0.8), facts, 0.7).kind).toBe('grave');
  });
  it('never overrules a threat or safety problem, nor a customer’s own request for a person', () => {
    expect(combineReadings('grave', probabilities(0.99, 0.01, 0), facts, 0.7).kind).toBe('grave');
    const asks = { ...facts, asksForHuman: true };
    expect(combineReadings('person', probabilities(0.99, 0.01, 0), asks, 0.7).kind).toBe('person');
    // Not the customer's request: a complaint is still read as one.
    expect(combineReadings('person', probabilities(0, 0.01, 0.99), facts, 0.7).kind).toBe('complaint');
  });
  it('leaves a person’s question with people, and the shop’s own answers with the bot', () => {
    expect(combineReadings('person', probabilities(0.99, 0.01, 0), facts, 0.7).kind).toBe('person');
    const own = { ...facts, ownAnswer: true };
    expect(combineReadings('routine', probabilities(0.01, 0.99, 0), own, 0.7).kind).toBe('routine');
    expect(combineReadings('routine', probabilities(0.01, 0, 0.99), own, 0.7).kind).toBe('complaint');
  });
});

const templateDir = new URL('../../../templates/retail/', import.meta.url);
const template = JSON.parse(readFileSync(new URL('zh-CN.json', templateDir), 'utf8')) as BotTemplate;
const escalation = readFileSync(new URL('escalation.zh-CN.jsonl', templateDir), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as HandoffExample);

describe('the retail bot with its hand-off examples', () => {
  let bot: CompiledBot;
  beforeAll(() => {
    bot = compileBot({ template: { ...template, escalation } });
  });
  const first = (text: string, b = bot) => conversation(b, recordingPorts([])).say(text);

  it('hands off a complaint worded without any complaint cue', async () => {
    const r = await first('买的床单洗一次就起球掉色 这质量你们自己信吗');
    expect(r.understanding.handoff).toBe('complaint');
    expect(r.handoff).toEqual({ reason: 'complaint', priority: 'high' });
    expect(r.understanding.intent).toBe('complaint');
  });

  it('puts a safety problem told in other words at the top of the inbox', async () => {
    const text = '暖手宝用了十分钟外壳就烫得起泡 手背红了一大片';
    expect(bot.analyse(text).handoff.rules).toBe('complaint');
    const r = await first(text);
    expect(r.understanding.handoff).toBe('grave');
    expect(r.handoff).toEqual({ reason: 'complaint:grave', priority: 'high' });
  });

  it('hands off a product question the nearest FAQ cannot answer, and answers the FAQs', async () => {
    const r = await first('这个锅能用在电磁炉上吗');
    expect(r.understanding.handoff).toBe('person');
    expect(r.handoff).toEqual({ reason: 'no_answer', priority: 'normal' });
    expect(r.understanding.intent).toBeNull();
    const faq = await first('运费怎么算');
    expect(faq.understanding.handoff).toBe('routine');
    expect(faq.handoff).toBeNull();
    expect(faq.understanding.intent).toBe('faq:shipping-fee');
  });

  it('answers an impatient routine question the anger lexicon alone would have escalated', async () => {
    const r = await first('气死了 快递怎么还没到啊');
    expect(bot.analyse('气死了 快递怎么还没到啊').handoff.rules).toBe('complaint');
    expect(r.understanding.handoff).toBe('routine');
    expect(r.handoff).toBeNull();
    expect(r.replies.some((reply) => reply.kind === 'answer')).toBe(true);
  });

  it('answers from an entry the shop added, which the model never saw', async () => {
    const pan = {
      id: 'induction',
      question: '锅具能用电磁炉吗',
      similar: ['这个锅电磁炉能用吗', '电磁炉适用吗', '支持电磁炉吗', '燃气灶和电磁炉都能用吗'],
      answer: '本店锅具都是复合底，燃气灶、电磁炉通用。',
    };
    const shop = compileBot({
      template: { ...template, escalation },
      knowledge: { faqs: [...template.faqs.map((f) => ({ ...f, similar: f.similar ?? [] })), pan] },
    });
    const r = await first('这个锅能用在电磁炉上吗', shop);
    expect(r.understanding.intent).toBe('faq:induction');
    expect(r.handoff).toBeNull();
  });

  it('keeps its model through a JSON round trip', () => {
    const again = compiledBotFromJSON(JSON.parse(JSON.stringify(bot.toJSON())));
    for (const text of [
      '买的床单洗一次就起球掉色 这质量你们自己信吗',
      '这个锅能用在电磁炉上吗',
      '运费怎么算',
    ]) {
      expect(again.analyse(text).handoff).toEqual(bot.analyse(text).handoff);
    }
  });

  it('is absent without hand-off examples: the rules alone decide', () => {
    const plain = compileBot({ template });
    const reading = plain.analyse('买的床单洗一次就起球掉色 这质量你们自己信吗').handoff;
    expect(reading.learned).toBeNull();
    expect(reading.kind).toBe(reading.rules);
    const kinds: HandoffKind[] = ['routine', 'person', 'complaint', 'grave'];
    expect(kinds).toContain(reading.kind);
  });
});

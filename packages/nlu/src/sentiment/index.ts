// Sentiment of a customer message: polarity (trained model for Chinese, lexicon for English) plus
// anger and anxiety scores from a data-driven lexicon, so routing can prioritise upset customers.
import { readFileSync } from 'node:fs';
import { type IntentModel, type IntentModelJson, intentModelFromJSON } from '../intent/model.ts';
import { normalise } from '../normalise/index.ts';
import lexiconData from './lexicon.json' with { type: 'json' };

export type Polarity = 'positive' | 'negative' | 'neutral';

export interface SentimentAnalysis {
  polarity: Polarity;
  /** -1 (very negative) … 1 (very positive). */
  score: number;
  /** 0 … 1. */
  anger: number;
  /** 0 … 1. */
  anxiety: number;
}

interface WeightedTerms {
  zh: Record<string, number>;
  en: Record<string, number>;
}

interface Lexicon {
  anger: WeightedTerms;
  anxiety: WeightedTerms;
  polarity: {
    en: { positive: Record<string, number>; negative: Record<string, number>; negators: string[] };
  };
}

const lexicon = lexiconData as Lexicon;

/** Scores with |score| below this are reported neutral: the model is close to a coin toss there. */
export const NEUTRAL_BAND = 0.2;
const HAN = /[\u3400-\u9fff]/;

export interface SentimentAnalyser {
  analyse(text: string): SentimentAnalysis;
}

function saturate(sum: number): number {
  return 1 - Math.exp(-sum);
}

function compileTerms(terms: WeightedTerms): (text: string, words: readonly string[]) => number {
  const zh = Object.entries(terms.zh);
  const enSingle = new Map<string, number>();
  const enPhrases: [string, number][] = [];
  for (const [term, weight] of Object.entries(terms.en)) {
    if (term.includes(' ')) enPhrases.push([term, weight]);
    else enSingle.set(term, weight);
  }
  return (text, words) => {
    let sum = 0;
    for (const [term, weight] of zh) if (text.includes(term)) sum += weight;
    for (const word of words) sum += enSingle.get(word) ?? 0;
    if (enPhrases.length > 0) {
      const padded = ` ${words.join(' ')} `;
      for (const [phrase, weight] of enPhrases) if (padded.includes(` ${phrase} `)) sum += weight;
    }
    return sum;
  };
}

const LATIN_WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

/**
 * Calibration for what customers write to a shop. The Chinese model learned polarity from reviews,
 * which are statements, and reads most plain questions ("运费怎么算", "可以退吗") as negative; a
 * question without any anger cue keeps the model's sign but a fifth of its strength, so it reads
 * neutral unless the model is sure. English the other way round: its polarity lexicon has no swear
 * words, so clear anger (≥ CLEAR_ANGER) there is never neutral or positive ("f*** this shop, give me
 * my money back"). Chinese anger words keep the model's reading: they also appear in praise (差评 in
 * "本来想给差评 结果很好吃").
 */
const QUESTION_ZH =
  /[?？]|[吗呢么嘛][\s~～。.!！]*$|怎么|什么|多久|多少|几[天号点时个件]|哪|能不能|可不可以|是否|有没有|会不会/;
const QUESTION_DAMPING = 0.2;
const CLEAR_ANGER = 0.5;

/** Build an analyser; `polarityModel` defaults to the shipped Chinese model (read on first use). */
export function createSentimentAnalyser(options: { polarityModel?: IntentModel } = {}): SentimentAnalyser {
  let zhModel = options.polarityModel;
  const angerOf = compileTerms(lexicon.anger);
  const anxietyOf = compileTerms(lexicon.anxiety);
  const { positive, negative, negators } = lexicon.polarity.en;
  const negatorSet = new Set(negators);

  function englishScore(words: readonly string[]): number {
    let sum = 0;
    let mass = 0;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const value = (positive[word] ?? 0) - (negative[word] ?? 0);
      if (value === 0) continue;
      const negated = negatorSet.has(words[i - 1] ?? '') || negatorSet.has(words[i - 2] ?? '');
      sum += negated ? -value * 0.8 : value;
      mass += Math.abs(value);
    }
    return mass === 0 ? 0 : Math.tanh(sum / Math.sqrt(mass + 1));
  }

  function chineseScore(text: string): number {
    zhModel ??= intentModelFromJSON(
      JSON.parse(readFileSync(new URL('./polarity.zh.json', import.meta.url), 'utf8')) as IntentModelJson,
    );
    const top = zhModel.classify(text).ranking;
    const pos = top.find((r) => r.intent === 'pos')?.confidence ?? 0;
    const neg = top.find((r) => r.intent === 'neg')?.confidence ?? 0;
    return pos - neg;
  }

  return {
    analyse(text) {
      const normalised = normalise(text);
      const words = normalised.match(LATIN_WORD) ?? [];
      let score = 0;
      if (HAN.test(normalised)) score = chineseScore(normalised);
      else if (words.length > 0) score = englishScore(words);
      const exclamations = Math.min((text.match(/[!！]/g) ?? []).length, 3) * 0.15;
      const angerCues = angerOf(normalised, words);
      const anger = saturate(angerCues + (score < 0 ? exclamations : 0));
      const anxiety = saturate(anxietyOf(normalised, words));
      const han = HAN.test(normalised);
      if (han && angerCues === 0 && score < 0 && QUESTION_ZH.test(normalised)) score *= QUESTION_DAMPING;
      if (!han && anger >= CLEAR_ANGER && score > -NEUTRAL_BAND) score = -NEUTRAL_BAND;
      const polarity: Polarity =
        score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
      return { polarity, score, anger, anxiety };
    },
  };
}

let defaultAnalyser: SentimentAnalyser | undefined;
/** Convenience over a lazily created analyser with the shipped models (read-only, safe to share). */
export function analyseSentiment(text: string): SentimentAnalysis {
  defaultAnalyser ??= createSentimentAnalyser();
  return defaultAnalyser.analyse(text);
}

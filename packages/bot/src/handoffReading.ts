// Whether a message is the bot's to answer, a person's, or a complaint: the hand-off reading. The rules
// (anger and urgency lexicons, a request for a person, the classifier's out-of-scope verdict, a hand-off
// intent) give one reading; a model trained on labelled customer messages (the template's
// `escalation` examples) gives probabilities for the three. The two are combined by a vote in which the
// rules' reading weighs `ruleWeight` against the model's probabilities, so the model overrules the
// rules only where it is sure: a complaint worded without any lexicon cue, a product question the
// intent classifier mistook for the nearest FAQ, an impatient routine question the anger lexicon took
// for a complaint. Two readings are never overruled: a threat or a safety problem the lexicon found (a
// missed one costs far more than a wrong queue), and a customer's own request for a person.
import {
  type IntentExample,
  type IntentModel,
  OOS_LABEL,
  runSteps,
  type Steps,
  type TrainIntentOptions,
  type Urgency,
} from '@zhike/nlu';
import type { BotTemplate } from './template.ts';
import { trainIntentModelByContentSteps } from './trainedModels.ts';

/**
 * `grave`: a complaint with a threat to escalate (regulators, the media, a lawyer, the police, a
 * chargeback) or a safety problem (injury, fire, shock, allergy, spoiled food…): the top of the inbox.
 */
export const HANDOFF_KINDS = ['routine', 'person', 'complaint', 'grave'] as const;
export type HandoffKind = (typeof HANDOFF_KINDS)[number];

/** One labelled customer message a template ships for the hand-off model. */
export interface HandoffExample {
  text: string;
  label: HandoffKind;
}

export interface HandoffReading {
  /** The combined reading the bot acts on. */
  kind: HandoffKind;
  /** What the rules alone read. */
  rules: HandoffKind;
  /** The model's probability per kind; null when the template ships no hand-off examples. */
  learned: Readonly<Record<HandoffKind, number>> | null;
}

/**
 * The rules' weight in the vote. Chosen by leave-one-set-out cross-validation over the routing tuning
 * sets (`npx tsx bench/routing/cv.ts`): each set's messages read by a model trained on the others.
 */
export const HANDOFF_RULE_WEIGHT = 0.7;

/** The engine's defaults: three calibration folds, so the probabilities the vote reads are calibrated. */
const HANDOFF_MODEL_OPTIONS: TrainIntentOptions = { rankingSize: HANDOFF_KINDS.length };

/** Labels a FAQ prefix can never match: the hand-off model has no FAQ targets to canonicalise. */
const NO_FAQ_PREFIX = '\u0000';

/** The hand-off model for a template's examples; null unless at least two kinds are exemplified. */
export function trainHandoffModel(examples: readonly HandoffExample[]): IntentModel | null {
  return runSteps(trainHandoffModelSteps(examples));
}

/** `trainHandoffModel` as steps. */
export function* trainHandoffModelSteps(examples: readonly HandoffExample[]): Steps<IntentModel | null> {
  if (new Set(examples.map((e) => e.label)).size < 2) return null;
  return yield* trainIntentModelByContentSteps(examples, HANDOFF_MODEL_OPTIONS, NO_FAQ_PREFIX, 'handoff');
}

/** The model's probability of `grave` above which a complaint is read as grave. */
const GRAVE_MAJORITY = 0.5;

/**
 * The bot's own training examples as hand-off examples: what its FAQ entries and dialogue intents answer
 * is routine; a hand-off intent's examples are a complaint (high priority) or a person's, and so are
 * the out-of-scope lines.
 */
export function handoffExamplesOf(
  template: Pick<BotTemplate, 'intents'>,
  examples: readonly IntentExample[],
): HandoffExample[] {
  const kinds = new Map<string, HandoffKind>();
  for (const intent of template.intents) {
    const handler = intent.handler;
    kinds.set(
      intent.name,
      handler.type !== 'handoff' ? 'routine' : handler.priority === 'high' ? 'complaint' : 'person',
    );
  }
  return examples.map((e) => ({
    text: e.text,
    label: e.label === OOS_LABEL ? 'person' : (kinds.get(e.label) ?? 'routine'),
  }));
}

/** Urgency signals the model may not overrule. */
const PROTECTED_SIGNALS: ReadonlySet<string> = new Set([
  'safety',
  'regulator_threat',
  'media_threat',
  'legal_threat',
]);

export interface RuleFacts {
  urgency: Urgency;
  /** Negative and angry enough for the dialogue's own complaint rule. */
  angry: boolean;
  asksForHuman: boolean;
  inScope: boolean;
  /** The hand-off the confidently understood target stands for, if it is a hand-off intent. */
  handoffIntent: 'complaint' | 'person' | null;
  /**
   * The confidently understood target is the shop's own knowledge (an FAQ entry the template does not
   * have, or an article passage): the model, which learned what the template's bot cannot answer,
   * knows nothing of it.
   */
  ownAnswer: boolean;
}

export function rulesReading(facts: RuleFacts): HandoffKind {
  if (facts.urgency.signals.some((s) => PROTECTED_SIGNALS.has(s))) return 'grave';
  const urgent = facts.urgency.level === 'high' || facts.urgency.level === 'critical';
  if (urgent || facts.angry || facts.handoffIntent === 'complaint') return 'complaint';
  if (facts.asksForHuman || facts.handoffIntent === 'person' || !facts.inScope) return 'person';
  return 'routine';
}

/** The model's probabilities for one message, every kind present (a kind it never saw reads 0). */
export function learnedReading(model: IntentModel, text: string): Record<HandoffKind, number> {
  const p: Record<HandoffKind, number> = { routine: 0, person: 0, complaint: 0, grave: 0 };
  for (const rank of model.classify(text).ranking)
    if ((HANDOFF_KINDS as readonly string[]).includes(rank.intent))
      p[rank.intent as HandoffKind] = rank.confidence;
  return p;
}

export function combineReadings(
  rules: HandoffKind,
  learned: Readonly<Record<HandoffKind, number>> | null,
  facts: Pick<RuleFacts, 'urgency' | 'asksForHuman' | 'ownAnswer'>,
  ruleWeight: number,
): HandoffReading {
  const reading = { kind: rules, rules, learned };
  if (!learned) return reading;
  if (rules === 'grave') return reading;
  if (rules === 'person' && facts.asksForHuman) return reading;
  // First whether it is a complaint at all (either kind's probability counts), then which kind.
  const votes: Record<Exclude<HandoffKind, 'grave'>, number> = {
    routine: learned.routine,
    person: learned.person,
    complaint: learned.complaint + learned.grave,
  };
  votes[rules] += ruleWeight;
  let vote: keyof typeof votes = rules;
  for (const kind of ['routine', 'person', 'complaint'] as const) if (votes[kind] > votes[vote]) vote = kind;
  // Grave only on the model's majority: a weak hint must not lift an ordinary complaint to the top.
  const best: HandoffKind = vote === 'complaint' && learned.grave > GRAVE_MAJORITY ? 'grave' : vote;
  // A question the rules read as a person's stays a person's: with no FAQ that fits, the bot can only
  // ask the customer to rephrase (leave-one-set-out cross-validation: 94.8 % without this overrule,
  // 94.0 % with it).
  if (rules === 'person' && best === 'routine') return reading;
  // What the shop taught its bot to answer is the bot's to answer.
  if (rules === 'routine' && best === 'person' && facts.ownAnswer) return reading;
  return { ...reading, kind: best };
}

// Compiling a workspace bot: the template's dialogue with the owner's values filled in, the knowledge
// base (the workspace's FAQ entries and article passages, or the template's own FAQs), one intent model
// over FAQ phrasings and dialogue intents, the retrieval index and the entity extractor.
import {
  createEntityExtractor,
  createFaqIndex,
  type FaqEntry,
  type IntentExample,
  type IntentModel,
  type IntentModelJson,
  intentModelFromJSON,
  normalise,
  OOS_LABEL,
  type ProductRecord,
  runSteps,
  runStepsSliced,
  type Steps,
  type TrainIntentOptions,
} from '@zhike/nlu';
import type { BotDefinition } from './context.ts';
import { runTurn } from './dialogue.ts';
import { HANDOFF_RULE_WEIGHT, handoffExamplesOf, trainHandoffModelSteps } from './handoffReading.ts';
import {
  type ArticlePassage,
  asTemplateFaqs,
  fillPassage,
  type KnowledgeBase,
  knowledgeFromTemplate,
  passageAnswer,
  passageLabel,
  splitArticle,
} from './knowledge.ts';
import { OUT_OF_SCOPE_EXAMPLES } from './out-of-scope.ts';
import {
  type BotTemplate,
  type HandlerSpec,
  intentDisplayName,
  intentLabelProblem,
  type TemplateForm,
} from './template.ts';
import { fillPlaceholders, phrasesFor } from './text.ts';
import { trainIntentModelByContentSteps } from './trainedModels.ts';
import type {
  BotPorts,
  DialogueState,
  KnowledgePassage,
  TurnInput,
  TurnKnowledge,
  TurnResult,
} from './types.ts';
import { type Analysis, analyse, FAQ_PREFIX, type Retrieval, type ScoringWeights } from './understand.ts';

export interface CompileBotOptions {
  /** Intents, forms, synonyms and variables; its FAQs are the knowledge base only when `knowledge` is absent. */
  template: BotTemplate;
  /** The workspace's knowledge base (enabled entries only), answered from instead of the template's FAQs. */
  knowledge?: KnowledgeBase;
  /** The owner's values for the template's variables; missing keys fall back to the template defaults. */
  variables?: Readonly<Record<string, string>>;
  orderNumberPattern?: string;
  products?: readonly ProductRecord[];
  /** Shop words the tokeniser keeps whole (brands, product names). */
  userWords?: readonly string[];
  /** Overrides of the decision parameters (defaults: see DEFAULT_DECISION). */
  decision?: Partial<DecisionParameters>;
}

export interface DecisionParameters extends ScoringWeights {
  /** Whether dialogue intents get retrieval evidence too, not only FAQs. */
  retrieveIntents: boolean;
  answerThreshold: number;
  clarifyFloor: number;
  /** The rules' weight in the hand-off vote against the hand-off model (handoffReading.ts). */
  handoffRuleWeight: number;
}

/**
 * How the bot trains its intent model (bench/bot/calibrate.ts uses the same). The `oos` class's margin
 * always counts against the best intent (`overOosClass`): a template's out-of-scope examples are the
 * same kinds of chatter and business asks that customers then send, and in the calibration's
 * cross-validation this caught 230 held-out out-of-scope lines against 152 with the engine's default
 * rule (which counts the oos class only when it claims a message), at equal accuracy (70.0 vs 69.7 %).
 */
export const BOT_INTENT_OPTIONS = {
  calibrationFolds: 2,
  oosRule: 'overOosClass',
  maxInScopeLoss: 0.0075,
} as const satisfies TrainIntentOptions;

/**
 * Chosen by `npx tsx bench/bot/calibrate.ts`: 5-fold cross-validation on all templates' own examples
 * plus generic out-of-scope lines, never on the test suites. Accuracy (act on the right target, or do
 * not act on out-of-scope) plateaus for retrieval 0.7–0.85 and thresholds 0.4–0.5 (67.1–67.6 % held
 * out; the classifier alone 61.3 % at 0.4); the lower end of the plateau is taken because retrieval
 * alone (1.0) falls off. Also measured and not adopted: retrieval over intents too (`--intents`,
 * −0.5 pt) and FAQ keywords as tokeniser words (`--keywords`, +0.3 pt, within noise). The clarify floor
 * only decides which guesses are worth offering.
 */
export const DEFAULT_DECISION: DecisionParameters = {
  retrieval: 0.7,
  retrieveIntents: false,
  answerThreshold: 0.4,
  clarifyFloor: 0.05,
  handoffRuleWeight: HANDOFF_RULE_WEIGHT,
};

export interface CompiledBotJson {
  kind: 'zhike-bot';
  version: 1;
  template: BotTemplate;
  model: IntentModelJson;
  orderNumberPattern: string | null;
  products: ProductRecord[];
  userWords: string[];
  decision: DecisionParameters;
  /** Article passages (variables filled); absent in bots compiled before articles existed. */
  passages?: ArticlePassage[];
  /** The hand-off model, when the template ships hand-off examples. */
  handoffModel?: IntentModelJson;
  /** FAQ targets from the shop's own knowledge, not the template's (article passages are always). */
  ownFaqTargets?: string[];
}

export interface CompiledBot {
  readonly template: BotTemplate;
  readonly decision: DecisionParameters;
  /** NLU view of one message, without dialogue effects (for analytics and evaluation). */
  analyse(text: string): Analysis;
  turn(state: DialogueState | null, input: TurnInput, ports: BotPorts): Promise<TurnResult>;
  /** What a target is, for people: a FAQ entry, an article passage or a dialogue intent; null if unknown. */
  describe(target: string): TargetDescription | null;
  toJSON(): CompiledBotJson;
}

export interface TargetDescription {
  kind: 'faq' | 'article' | 'intent';
  /** FAQ entry id, `<article id>#<n>`, or the intent name. */
  id: string;
  /** The FAQ question, the passage's `title · heading`, or the intent's label (else description, else first example). */
  title: string;
}

/** The template's variable defaults overridden by the owner's values (what `{{shop.name}}` & co. say). */
export function templateVariableValues(
  template: BotTemplate,
  variables: Readonly<Record<string, string>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of template.variables ?? []) if (v.default !== undefined) values[v.key] = v.default;
  return Object.assign(values, variables);
}

/** Fills every declared variable in the texts the bot says; runtime placeholders stay for the turn. */
export function fillTemplate(
  template: BotTemplate,
  variables: Readonly<Record<string, string>>,
): BotTemplate {
  const values = templateVariableValues(template, variables);
  const fill = (text: string): string => fillPlaceholders(text, values);
  const handler = (h: HandlerSpec): HandlerSpec => {
    if (h.type === 'reply') return { ...h, text: fill(h.text) };
    if (h.type === 'action' && h.reply) return { ...h, reply: fill(h.reply) };
    return h;
  };
  const form = (f: TemplateForm): TemplateForm => ({
    ...f,
    slots: f.slots.map((s) => ({ ...s, prompt: fill(s.prompt) })),
    ...(f.policy === undefined ? {} : { policy: fill(f.policy) }),
    ...(f.confirm === undefined ? {} : { confirm: fill(f.confirm) }),
    done: fill(f.done),
  });
  return {
    ...template,
    faqs: template.faqs.filter((f) => f.enabled !== false).map((f) => ({ ...f, answer: fill(f.answer) })),
    intents: template.intents.map((i) => ({ ...i, handler: handler(i.handler) })),
    forms: (template.forms ?? []).map(form),
  };
}

export function trainingExamples(template: BotTemplate): IntentExample[] {
  const examples: IntentExample[] = [];
  for (const faq of template.faqs)
    for (const text of [faq.question, ...(faq.similar ?? [])])
      examples.push({ text, label: FAQ_PREFIX + faq.id });
  for (const intent of template.intents)
    for (const text of intent.examples) examples.push({ text, label: intent.name });
  const language = template.locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  for (const text of [...OUT_OF_SCOPE_EXAMPLES[language], ...(template.outOfScope ?? [])])
    examples.push({ text, label: OOS_LABEL });
  return examples;
}

/**
 * Retrieval documents, one per target: every FAQ (its phrasings, keywords and answer) and, with
 * `intents`, every dialogue intent (its examples and description), so both kinds get the same evidence.
 */
export function buildRetrieval(
  template: BotTemplate,
  options: { intents: boolean; userWords?: readonly string[]; passages?: readonly ArticlePassage[] },
): Retrieval {
  const entries: FaqEntry[] = template.faqs.map((f) => ({ ...f, id: FAQ_PREFIX + f.id }));
  const passages = new Set<string>();
  for (const passage of options.passages ?? []) {
    const id = FAQ_PREFIX + passageKey(passage);
    passages.add(id);
    entries.push({ id, question: passageLabel(passage), answer: passage.text });
  }
  if (options.intents)
    for (const intent of template.intents) {
      const [question = intent.name, ...similar] = intent.examples;
      entries.push({ id: intent.name, question, similar, answer: intent.description ?? '' });
    }
  const index = createFaqIndex(entries, {
    synonyms: template.synonyms ?? [],
    userWords: options.userWords ?? [],
  });
  return { index, targets: new Set(entries.map((e) => e.id)), passages };
}

/** An article passage's key among the bot's answers (`faq:<key>` as a target). */
const passageKey = (passage: ArticlePassage) => `article:${passage.id}`;

/**
 * Refuses a template whose intent labels cannot be shown: the label is optional, but one that is there
 * names the intent wherever people see it, so a blank or overlong one is an authoring mistake to stop here.
 */
export function checkTemplateIntents(template: Pick<BotTemplate, 'id' | 'intents'>): void {
  for (const intent of template.intents) {
    if (intent.label === undefined) continue;
    const problem =
      typeof intent.label === 'string' ? intentLabelProblem(intent.label) : 'a label is a string';
    if (problem) throw new Error(`template ${template.id}: intent ${intent.name} label: ${problem}`);
  }
}

export function compileBot(options: CompileBotOptions): CompiledBot {
  return runSteps(compileBotSteps(options));
}

/**
 * `compileBot` for a server: the same bot, with turns of the event loop during its training (see
 * `runStepsSliced`), so compiling a shop's bot never holds up the other shops' requests and jobs.
 */
export function compileBotSliced(options: CompileBotOptions): Promise<CompiledBot> {
  return runStepsSliced(compileBotSteps(options));
}

function* compileBotSteps(options: CompileBotOptions): Steps<CompiledBot> {
  checkTemplateIntents(options.template);
  const knowledge = options.knowledge ?? knowledgeFromTemplate(options.template);
  const variables = options.variables ?? {};
  const template = fillTemplate({ ...options.template, faqs: asTemplateFaqs(knowledge.faqs) }, variables);
  const values = templateVariableValues(options.template, variables);
  const passages = (knowledge.articles ?? []).flatMap(splitArticle).map((p) => fillPassage(p, values));
  const userWords = [...(options.userWords ?? []), ...(options.products ?? []).map((p) => p.name)];
  const examples = trainingExamples(template);
  // Every target ranked, so a follow-up can find an order-bound intent below the top few; 2 calibration
  // folds instead of 3 keep compiling the largest template well under a second.
  const rankingSize = new Set(examples.map((e) => e.label)).size;
  const model = yield* trainIntentModelByContentSteps(
    examples,
    { ...BOT_INTENT_OPTIONS, userWords, rankingSize },
    FAQ_PREFIX,
  );
  // The hand-off model learns the template's labelled customer messages and, as routine, everything this
  // bot answers (the shop's own FAQ entries included), so a question the shop added is not overruled
  // as one it cannot answer.
  const handoffModel = template.escalation?.length
    ? yield* trainHandoffModelSteps([...template.escalation, ...handoffExamplesOf(template, examples)])
    : null;
  yield;
  // Entries the template has (by question) are what its hand-off examples were written against.
  const templateQuestions = new Set(options.template.faqs.map((f) => normalise(f.question)));
  const ownFaqTargets = knowledge.faqs
    .filter((f) => !templateQuestions.has(normalise(f.question)))
    .map((f) => FAQ_PREFIX + f.id);
  return assemble(template, model, handoffModel, {
    ownFaqTargets,
    orderNumberPattern: options.orderNumberPattern ?? null,
    products: [...(options.products ?? [])],
    userWords,
    decision: { ...DEFAULT_DECISION, ...options.decision },
    passages,
  });
}

export function compiledBotFromJSON(json: CompiledBotJson): CompiledBot {
  if (json.kind !== 'zhike-bot' || json.version !== 1)
    throw new Error(`unsupported bot json ${json.kind}@${json.version}`);
  return assemble(
    json.template,
    intentModelFromJSON(json.model),
    json.handoffModel ? intentModelFromJSON(json.handoffModel) : null,
    { ...json, decision: { ...DEFAULT_DECISION, ...json.decision } },
  );
}

function assemble(
  template: BotTemplate,
  model: IntentModel,
  handoffModel: IntentModel | null,
  settings: Pick<
    CompiledBotJson,
    'orderNumberPattern' | 'products' | 'userWords' | 'decision' | 'passages' | 'ownFaqTargets'
  >,
): CompiledBot {
  const passages = settings.passages ?? [];
  const retrieval =
    settings.decision.retrieval > 0
      ? buildRetrieval(template, {
          intents: settings.decision.retrieveIntents,
          userWords: settings.userWords,
          passages,
        })
      : null;
  const extractor = createEntityExtractor({
    ...(settings.orderNumberPattern === null ? {} : { orderNumberPattern: settings.orderNumberPattern }),
    products: settings.products,
  });
  const decision = settings.decision;
  const cues = outOfScopeCues(template);
  const sources = knowledgeSources(template, passages);
  const intents = new Map(template.intents.map((i) => [i.name, i]));
  const ownTargets = new Set([
    ...(settings.ownFaqTargets ?? []),
    ...passages.map((p) => FAQ_PREFIX + passageKey(p)),
  ]);
  const handoffOf = (target: string): 'complaint' | 'person' | null => {
    const handler = intents.get(target)?.handler;
    if (handler?.type !== 'handoff') return null;
    return handler.priority === 'high' ? 'complaint' : 'person';
  };
  const definition: BotDefinition = {
    template,
    phrases: phrasesFor(template.locale),
    intents,
    forms: new Map((template.forms ?? []).map((f) => [f.id, f])),
    // Passages answer like FAQ entries (the dialogue knows one kind of knowledge answer), quoting their source.
    faqs: new Map<string, { question: string; answer: string }>([
      ...template.faqs.map((f) => [f.id, f] as const),
      ...passages.map(
        (p) =>
          [passageKey(p), { question: passageLabel(p), answer: passageAnswer(p, template.locale) }] as const,
      ),
    ]),
    answerThreshold: decision.answerThreshold,
    clarifyFloor: decision.clarifyFloor,
    analyse: (text) =>
      analyse(model, retrieval, extractor, text, decision, cues, {
        model: handoffModel,
        ruleWeight: decision.handoffRuleWeight,
        answerThreshold: decision.answerThreshold,
        handoffOf,
        ownTargets,
      }),
  };
  return {
    template,
    decision,
    analyse: definition.analyse,
    describe(target) {
      const source = sources.get(target);
      if (source) return { kind: source.kind, id: source.id, title: source.title };
      const intent = definition.intents.get(target);
      return intent
        ? { kind: 'intent', id: intent.name, title: intentDisplayName(intent) ?? intent.name }
        : null;
    },
    async turn(state, input, ports) {
      let analysis: Analysis | null = null;
      const result = await runTurn(
        {
          ...definition,
          analyse: (text) => {
            analysis = definition.analyse(text);
            return analysis;
          },
        },
        state,
        input,
        ports,
      );
      return { ...result, knowledge: turnKnowledge(result, analysis, sources, input) };
    },
    toJSON: () => ({
      kind: 'zhike-bot',
      version: 1,
      // The hand-off examples are in the trained model; the JSON need not carry thousands of lines twice.
      template: { ...template, escalation: undefined },
      model: model.toJSON(),
      orderNumberPattern: settings.orderNumberPattern,
      products: settings.products,
      userWords: settings.userWords,
      decision,
      passages,
      ...(handoffModel ? { handoffModel: handoffModel.toJSON() } : {}),
      ownFaqTargets: settings.ownFaqTargets ?? [],
    }),
  };
}

/** The template's out-of-scope cues as expressions; a cue that does not compile fails the compile. */
export function outOfScopeCues(template: Pick<BotTemplate, 'outOfScopeCues'>): RegExp[] {
  return (template.outOfScopeCues ?? []).map((source, i) => {
    try {
      return new RegExp(source, 'i');
    } catch (error) {
      throw new Error(`outOfScopeCues[${i}] is not a regular expression: ${(error as Error).message}`);
    }
  });
}

/** Knowledge the host may show or ground on, per target (`faq:<key>`), before runtime placeholders. */
function knowledgeSources(
  template: BotTemplate,
  passages: readonly ArticlePassage[],
): ReadonlyMap<string, Omit<KnowledgePassage, 'score'>> {
  const sources = new Map<string, Omit<KnowledgePassage, 'score'>>();
  for (const f of template.faqs)
    sources.set(FAQ_PREFIX + f.id, { id: f.id, kind: 'faq', title: f.question, text: f.answer, url: null });
  for (const p of passages)
    sources.set(FAQ_PREFIX + passageKey(p), {
      id: p.id,
      kind: 'article',
      title: passageLabel(p),
      text: p.text,
      url: p.sourceUrl,
    });
  return sources;
}

/** Passages offered to the host (top 3): on knowledge answers and on turns the bot did not understand. */
const KNOWLEDGE_PASSAGES = 3;

function turnKnowledge(
  result: Omit<TurnResult, 'knowledge'>,
  analysis: Analysis | null,
  sources: ReadonlyMap<string, Omit<KnowledgePassage, 'score'>>,
  input: TurnInput,
): TurnKnowledge | null {
  const answered = result.understanding.intent;
  const fromKnowledge = answered !== null && sources.has(answered);
  const notUnderstood =
    result.replies.some((r) => r.kind === 'clarify') || result.handoff?.reason === 'fallback';
  if (!analysis || !(fromKnowledge || notUnderstood)) return null;
  const scores = new Map<string, number>();
  for (const c of (analysis as Analysis).candidates)
    if (sources.has(c.target) && !scores.has(c.target)) scores.set(c.target, c.score);
  const ranked = [...scores.keys()];
  // The entry actually answered comes first, even when picked from a clarifying question.
  const chosen = fromKnowledge ? [answered, ...ranked.filter((t) => t !== answered)] : ranked;
  const values = {
    'customer.name': input.customer.name ?? undefined,
    'customer.phone': input.customer.phone ?? undefined,
  };
  const passages = chosen.slice(0, KNOWLEDGE_PASSAGES).map((target) => {
    const source = sources.get(target)!;
    return { ...source, text: fillPlaceholders(source.text, values), score: scores.get(target) ?? 0 };
  });
  return passages.length > 0 ? { passages } : null;
}

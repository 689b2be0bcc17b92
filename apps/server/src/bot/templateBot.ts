// The platform's bot: each workspace's industry template (templates/<id>/<locale>.json) with the owner's
// values, answering from the workspace's knowledge base (seeded from the template's FAQs on the first
// compile for a template), with the owner's dialogue overrides, compiled by @zhike/bot and cached per
// workspace, settings version, dialogue version and knowledge version (compiling takes ~0.5–0.9 s, so never
// per message). A turn loads the customer, runs the dialogue engine against the workspace's
// orders, tickets (opened, and the customer's own read back) and call-back tasks, and returns the replies
// and the new state for runBotTurn to store.
import {
  applyDialogueOverrides,
  type BotPorts,
  type BotTemplate,
  type CompileBotOptions,
  type CompiledBot,
  carriedState,
  checkDialogueOverrides,
  compileBotSliced,
  type DialogueOverrides,
  type DialogueState,
  isWithinBusinessHours,
  type Order,
  summariseTurn,
  type TurnResult,
} from '@zhike/bot';
import type {
  Bot,
  BotDecision,
  BotInput,
  BotSettings,
  DomainEvent,
  Locale,
  MessageAnalysis,
  Order as ShopOrder,
  WorkspaceStore,
} from '@zhike/core';
import {
  createIdGenerator,
  customerTicketProgress,
  openTicket,
  seedTemplateRules,
  syncTemplateKnowledge,
  systemClock,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import { detectLanguage } from '@zhike/nlu';
import { noTelemetry, type Telemetry } from '../observability/telemetry.ts';
import { seedTemplateRepliesFrom } from '../replies/templateReplies.ts';
import { knowledgeAnswer } from './knowledgeAnswer.ts';
import { lookupOrderFor } from './orderLookup.ts';
import { loadTemplate, loadTemplateRouting, seedTemplateQueues } from './templateFiles.ts';

/** The engine's view of an order: the phone reduced to what the verification needs. */
export function botOrder(order: ShopOrder): Order {
  const digits = order.phone?.replace(/\D/g, '') ?? '';
  return {
    number: order.number,
    status: order.status,
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    phoneLast4: digits.length >= 4 ? digits.slice(-4) : null,
    items: order.items,
    total: order.total,
  };
}

/**
 * Side effects of one turn, keyed on its customer message so a retried job reuses what it created. A
 * ticket is opened through the tickets use case (assignment rules, timeline, `ticket.created`); its events
 * are collected into `events` for the turn to publish.
 */
function portsFor(
  store: WorkspaceStore,
  input: BotInput,
  newId: () => string,
  events: DomainEvent[],
): BotPorts {
  const at = input.now.toISOString();
  return {
    lookupOrder: lookupOrderFor(store, { customerId: input.customerId }),
    // Always the conversation's customer: the engine's argument is the same id, never a typed-in one.
    lookupTickets: () => customerTicketProgress({ store }, { customerId: input.customerId, now: input.now }),
    async createTicket(ticket) {
      const opened = await openTicket(
        { store, clock: { now: () => input.now }, newId },
        {
          subject: ticket.subject ?? ticket.type,
          type: ticket.type,
          ...(ticket.category ? { category: ticket.category } : {}),
          ...(ticket.priority ? { priority: ticket.priority } : {}),
          fields: ticket.fields,
          conversationId: input.conversationId,
          customerId: ticket.customerId,
          source: 'bot',
          actor: { type: 'bot', id: null },
          sourceKey: `bot:${input.messageId}`,
        },
      );
      events.push(...opened.events);
      return { number: opened.ticket.number };
    },
    async createCallback(callback) {
      const created = await store.callbacks.create({
        phone: callback.phone,
        note: callback.note,
        conversationId: input.conversationId,
        customerId: callback.customerId,
        sourceKey: `bot:${input.messageId}`,
        createdAt: at,
      });
      return { number: created.number };
    },
  };
}

/** Compiles a workspace's bot; `compileBot` (at once) and `compileBotSliced` (in slices) both are one. */
export type BotCompiler = (options: CompileBotOptions) => CompiledBot | Promise<CompiledBot>;

export interface TemplateBotDeps {
  db: Database;
  templatesDir: string;
  /**
   * Injectable so tests can count compilations. The default trains with turns of the event loop between
   * slices (`compileBotSliced`): a compile is ~0.5–1 s of CPU, which would otherwise hold up every request,
   * timer and job lease in the process.
   */
  compile?: BotCompiler;
  /** When template syncs happen (knowledge-base timestamps); the system clock by default. */
  now?: () => Date;
  /** Ids for seeded routing rules and queues; UUIDv7 from the system clock by default. */
  newId?: () => string;
  /**
   * The workspace's queue id for a template's queue key: the queue with that key (seeded just before the
   * rules), else the key itself (the dispatcher then waits it in the default queue).
   */
  queueIdFor?: (store: WorkspaceStore, key: string) => Promise<string>;
  /** Times the NLU work: compiles, turns and the understanding of a switched-off bot. */
  telemetry?: Telemetry;
}

/** What the bot would do with a message, without storing or creating anything. */
export interface BotPreview {
  bot: CompiledBot;
  result: TurnResult;
}

export interface TemplateBot extends Bot {
  /** Compiles a workspace's bot ahead of its first message; a turn arriving meanwhile awaits the same compile. */
  warm(workspaceId: string, locale: Locale): Promise<void>;
  /**
   * Seeds (or re-syncs) the workspace's knowledge base from its template if the bot settings name one the
   * knowledge base was not synced with yet; a no-op costing one read otherwise.
   */
  syncKnowledge(workspaceId: string, locale: Locale): Promise<void>;
  /** One first turn of a fresh conversation; null when the workspace has no bot settings. */
  preview(workspaceId: string, locale: Locale, text: string): Promise<BotPreview | null>;
  /**
   * The decision a fresh conversation's first message would get (what routing decides on), with nothing
   * looked up or stored; null when the workspace has no bot settings.
   */
  previewDecision(workspaceId: string, locale: Locale, text: string, now: Date): Promise<BotDecision | null>;
  /**
   * The workspace's compiled bot (its effective intents and variables) with the owner's variable values;
   * null when the workspace has no bot settings. Cached like the bot that answers.
   */
  compiled(workspaceId: string, locale: Locale): Promise<{ bot: CompiledBot; settings: BotSettings } | null>;
}

const templateLocale = (locale: string) => (locale === 'en-US' ? 'en-US' : 'zh-CN');

/**
 * The owner's dialogue overrides on the template they were written for. Overrides of another template or
 * locale (the owner switched template since), or that no longer fit it, leave the template as it is: a
 * bot that answers from its template beats one that cannot compile.
 */
export function withDialogue(
  template: BotTemplate,
  current: { templateId: string; locale: string; document: unknown } | null,
  templateId: string,
  locale: string,
): BotTemplate {
  if (!current || current.templateId !== templateId || current.locale !== locale) return template;
  const overrides = current.document as DialogueOverrides;
  return checkDialogueOverrides(template, overrides).ok
    ? applyDialogueOverrides(template, overrides)
    : template;
}

/** The routing view of what a turn understood. */
export function messageAnalysis(u: TurnResult['understanding'], intentLabel: string | null): MessageAnalysis {
  return {
    intent: u.intent,
    intentLabel,
    confidence: u.confidence,
    inScope: u.inScope,
    sentiment: { polarity: u.sentiment.polarity, anger: u.sentiment.anger },
    urgency: { level: u.urgency.level, signals: u.urgency.signals },
    language: u.language,
    handoffKind: u.handoff,
  };
}

/** What runBotTurn gets from one engine turn: replies, hand-off (urgent on a critical threat), analysis. */
export function decisionOf(bot: CompiledBot, result: TurnResult, humansAvailable: boolean): BotDecision {
  const said = (handoff: boolean) =>
    result.replies.filter((r) => (r.kind === 'handoff') === handoff).map((r) => r.text);
  const handoff = result.handoff;
  const turn = summariseTurn(bot, result);
  // The engine knows normal and high; a critical threat (12315, media, lawyer) goes to the top of the inbox.
  // So does a complaint the hand-off model read as grave (a threat or a safety problem in other words).
  const critical =
    handoff?.priority === 'high' &&
    (result.understanding.urgency.level === 'critical' || handoff.reason === 'complaint:grave');
  return {
    replies: said(false),
    handoff: handoff && {
      reason: handoff.reason,
      priority: critical ? 'urgent' : handoff.priority,
      notice: said(true).join('\n'),
    },
    state: result.state,
    turn,
    knowledge: knowledgeAnswer(result),
    analysis: messageAnalysis(result.understanding, turn.targetLabel),
    humansAvailable,
  };
}

/** The NLU alone, for a bot that is switched off: no dialogue, no side effects. */
function analysisOf(bot: CompiledBot, text: string): MessageAnalysis {
  const a = bot.analyse(text);
  const top = a.candidates[0];
  const confident = a.inScope && top !== undefined && top.score >= bot.decision.answerThreshold;
  return {
    intent: confident ? top.target : null,
    intentLabel: confident ? (bot.describe(top.target)?.title ?? null) : null,
    confidence: top?.score ?? 0,
    inScope: a.inScope,
    sentiment: { polarity: a.sentiment.polarity, anger: a.sentiment.anger },
    urgency: { level: a.urgency.level, signals: a.urgency.signals },
    language: detectLanguage(text).language,
    handoffKind: a.handoff.kind,
  };
}

/** Ports of a preview turn: nothing is looked up, stored or sent. */
const previewPorts: BotPorts = {
  lookupOrder: async () => null,
  lookupTickets: async () => ({ tickets: [], more: 0, timeZone: 'Asia/Shanghai' }),
  createTicket: async () => ({ number: '—' }),
  createCallback: async () => ({ number: '—' }),
};

export function createTemplateBot(deps: TemplateBotDeps): TemplateBot {
  const compile = deps.compile ?? compileBotSliced;
  const now = deps.now ?? (() => new Date());
  const telemetry = deps.telemetry ?? noTelemetry;
  /**
   * One compiled bot per workspace. `knowledge` holds the knowledge versions it is current for: the one
   * seen when the compile started (so concurrent turns share it) and the one it was built from.
   */
  const cache = new Map<
    string,
    {
      settingsVersion: number;
      dialogueVersion: number;
      locale: string;
      knowledge: Set<number>;
      bot: Promise<CompiledBot>;
    }
  >();

  const newId = deps.newId ?? createIdGenerator(systemClock);
  const queueIdFor =
    deps.queueIdFor ??
    (async (store: WorkspaceStore, key: string) => (await store.queues.findByKey(key))?.id ?? key);
  const sync = async (store: WorkspaceStore, templateId: string, locale: string) => {
    const template = await loadTemplate(deps.templatesDir, templateId, locale);
    const at = now().toISOString();
    await syncTemplateKnowledge(
      store,
      { templateId, locale: templateLocale(locale), faqs: template.faqs },
      at,
    );
    // Its queues first: the rules name them.
    await seedTemplateQueues(store, deps.templatesDir, { id: templateId, locale }, { newId, at });
    // The template's routing rules arrive with its knowledge base; the owner's own rules stay.
    await seedTemplateRules(
      { store, newId },
      {
        templateId,
        locale: templateLocale(locale),
        routing: await loadTemplateRouting(deps.templatesDir, templateId),
        queueIdFor: (key) => queueIdFor(store, key),
        at,
      },
    );
    // And its canned replies, compliance wording among them; the shop's own and edited ones stay.
    await seedTemplateRepliesFrom(
      store,
      deps.templatesDir,
      { id: templateId, locale: templateLocale(locale) },
      { newId, at },
    );
    return template;
  };

  const botFor = async (workspaceId: string, locale: string, settings: BotSettings): Promise<CompiledBot> => {
    const store = deps.db.forWorkspace(workspaceId);
    const seen = (await store.knowledge.state())?.version ?? -1;
    const dialogueVersion = await store.dialogue.version();
    const hit = cache.get(workspaceId);
    if (
      hit &&
      hit.settingsVersion === settings.version &&
      hit.dialogueVersion === dialogueVersion &&
      hit.locale === locale &&
      hit.knowledge.has(seen)
    )
      return hit.bot;
    const knowledge = new Set([seen]);
    const bot = (async () => {
      const template = withDialogue(
        await sync(store, settings.templateId, locale),
        await store.dialogue.current(),
        settings.templateId,
        templateLocale(locale),
      );
      // The version is read before the entries: an edit landing in between leaves the bot marked older
      // than its content, so the next turn recompiles rather than keeping a stale answer.
      const version = (await store.knowledge.state())?.version ?? -1;
      const faqs = (await store.knowledge.faqs.all()).filter((f) => f.enabled);
      const articles = (await store.knowledge.articles.all()).filter((a) => a.enabled);
      knowledge.add(version);
      return telemetry.nlu('compile', async () =>
        compile({
          template,
          knowledge: {
            faqs: faqs.map((f) => ({
              id: f.id,
              question: f.question,
              similar: f.similarQuestions,
              answer: f.answer,
              keywords: f.keywords,
              tags: f.tags,
            })),
            articles: articles.map((a) => ({
              id: a.id,
              title: a.title,
              body: a.body,
              sourceUrl: a.sourceUrl,
            })),
          },
          variables: settings.variables,
          ...(settings.orderNumberPattern ? { orderNumberPattern: settings.orderNumberPattern } : {}),
        }),
      );
    })();
    bot.catch(() => {
      if (cache.get(workspaceId)?.bot === bot) cache.delete(workspaceId);
    });
    cache.set(workspaceId, { settingsVersion: settings.version, dialogueVersion, locale, knowledge, bot });
    return bot;
  };

  const analysed = (bot: CompiledBot, text: string) =>
    telemetry.nlu('analyse', async () => analysisOf(bot, text));

  /** A configured bot still reads the message while off, so routing can pick the queue and priority. */
  const offDecision = async (
    workspaceId: string,
    locale: string,
    settings: BotSettings | null,
    text: string,
    humansAvailable: boolean,
  ): Promise<BotDecision> => ({
    replies: [],
    handoff: { reason: 'no_answer', priority: 'normal' },
    state: null,
    // Not the bot's turn: analytics count what the bot did, not messages it never saw.
    turn: null,
    botOff: true,
    humansAvailable,
    analysis: settings ? await analysed(await botFor(workspaceId, locale, settings), text) : null,
  });

  return {
    async previewDecision(workspaceId, locale, text, at) {
      const store = deps.db.forWorkspace(workspaceId);
      const settings = await store.botSettings.get();
      if (!settings) return null;
      const humansAvailable = settings.businessHours
        ? isWithinBusinessHours(settings.businessHours, at)
        : true;
      if ((await store.setup.get())?.botEnabled === false)
        return offDecision(workspaceId, locale, settings, text, humansAvailable);
      const bot = await botFor(workspaceId, locale, settings);
      const result = await bot.turn(
        null,
        { text, now: at, customer: { id: 'preview' }, businessHours: settings.businessHours },
        previewPorts,
      );
      return decisionOf(bot, result, humansAvailable);
    },
    async compiled(workspaceId, locale) {
      const settings = await deps.db.forWorkspace(workspaceId).botSettings.get();
      return settings ? { bot: await botFor(workspaceId, locale, settings), settings } : null;
    },
    async warm(workspaceId, locale) {
      const settings = await deps.db.forWorkspace(workspaceId).botSettings.get();
      if (settings) await botFor(workspaceId, locale, settings);
    },
    async syncKnowledge(workspaceId, locale) {
      const store = deps.db.forWorkspace(workspaceId);
      const settings = await store.botSettings.get();
      const state = await store.knowledge.state();
      if (!settings) return;
      const routing = await store.routing.settings();
      if (
        state?.templateId === settings.templateId &&
        state.templateLocale === templateLocale(locale) &&
        routing.seededTemplate === `${settings.templateId}/${templateLocale(locale)}`
      ) {
        // Replies came after knowledge and rules: a workspace set up before them gets them now.
        await seedTemplateRepliesFrom(
          store,
          deps.templatesDir,
          { id: settings.templateId, locale: templateLocale(locale) },
          { newId, at: now().toISOString() },
        );
        return;
      }
      await sync(store, settings.templateId, locale);
    },
    async preview(workspaceId, locale, text) {
      const settings = await deps.db.forWorkspace(workspaceId).botSettings.get();
      if (!settings) return null;
      const bot = await botFor(workspaceId, locale, settings);
      const result = await bot.turn(
        null,
        { text, now: now(), customer: { id: 'preview' }, businessHours: settings.businessHours },
        previewPorts,
      );
      return { bot, result };
    },
    carryOver: carriedState,
    async decide(input: BotInput): Promise<BotDecision> {
      const store = deps.db.forWorkspace(input.workspaceId);
      const events: DomainEvent[] = [];
      const settings = await store.botSettings.get();
      const humansAvailable = settings?.businessHours
        ? isWithinBusinessHours(settings.businessHours, input.now)
        : true;
      // A workspace without a bot, or whose owner switched it off, hands every question to people.
      if (!settings || (await store.setup.get())?.botEnabled === false)
        return offDecision(input.workspaceId, input.locale, settings, input.text, humansAvailable);
      const bot = await botFor(input.workspaceId, input.locale, settings);
      const customer = await store.customers.get(input.customerId);
      const result = await telemetry.nlu('turn', () =>
        bot.turn(
          (input.state as DialogueState | null) ?? null,
          {
            text: input.text,
            ...(input.attachments ? { attachments: input.attachments } : {}),
            now: input.now,
            customer: { id: input.customerId, name: customer?.name ?? null, phone: customer?.phone ?? null },
            businessHours: settings.businessHours,
          },
          portsFor(store, input, newId, events),
        ),
      );
      return { ...decisionOf(bot, result, humansAvailable), events };
    },
  };
}

// One dialogue turn: safety rules first (anger and urgency, then an explicit human request), then the step
// the bot is waiting on, then the understood target's handler, else clarify and finally hand off.
import { detectLanguage, normalise } from '@zhike/nlu';
import { type BotDefinition, customerValues, rememberEntities, say, type TurnContext } from './context.ts';
import { continueCallback, escalate } from './escalation.ts';
import { continueForm, startForm } from './forms.ts';
import { checkVerification, lastFourDigits, lookupOrder } from './orders.ts';
import { fillPlaceholders } from './text.ts';
import { answerOffer, reportTickets } from './tickets.ts';
import type { BotPorts, DialogueState, TurnInput, TurnResult } from './types.ts';
import { initialDialogueState } from './types.ts';
import { ANGRY, FAQ_PREFIX } from './understand.ts';

/** Consecutive misunderstandings after which a human takes over. */
const MAX_FALLBACKS = 2;
/** Options offered in a clarifying question. */
const CLARIFY_OPTIONS = 3;

export async function runTurn(
  bot: BotDefinition,
  previous: DialogueState | null,
  input: TurnInput,
  ports: BotPorts,
): Promise<Omit<TurnResult, 'knowledge'>> {
  // State from another engine version is dropped rather than misread.
  const state: DialogueState = previous?.version === 1 ? structuredClone(previous) : initialDialogueState();
  const analysis = bot.analyse(input.text);
  const ctx: TurnContext = { bot, input, ports, state, analysis, replies: [], handoff: null };
  rememberEntities(ctx);

  const top = analysis.candidates[0];
  const confident = analysis.inScope && top !== undefined && top.score >= bot.answerThreshold;
  let understood: string | null = followUpTarget(ctx) ?? (confident ? top.target : null);

  const angry = analysis.sentiment.polarity === 'negative' && analysis.sentiment.anger >= ANGRY;
  const urgent = analysis.urgency.level === 'high' || analysis.urgency.level === 'critical';
  // The hand-off model overrules the rules' reading of a new request only: mid-dialogue answers (an
  // order number, a picked option) are not the customer messages it learned from.
  const reading = analysis.handoff;
  const overruled = !state.pending && reading.kind !== reading.rules;
  if (overruled && (reading.kind === 'complaint' || reading.kind === 'grave')) {
    understood = handoffIntent(bot, null, (h) => h.priority === 'high');
    await escalate(ctx, reading.kind === 'grave' ? 'complaint:grave' : 'complaint', 'high');
  } else if (overruled && reading.kind === 'person') {
    // Something the bot cannot answer, however close an FAQ's wording came.
    understood = null;
    await escalate(ctx, 'no_answer', 'normal');
  } else if (overruled) {
    // A routine request the rules took for a complaint: answer it, unless the best reading was the
    // complaint intent itself, in which case the bot asks what the customer needs.
    if (understood && bot.intents.get(understood)?.handler.type === 'handoff') understood = null;
    await route(ctx, understood);
  } else if (urgent || angry) {
    // A request for a human that also carries a complaint, a threat or anger is handled as that
    // complaint (high priority, the complaint's reason), not as a plain request.
    understood = understood ?? handoffIntent(bot, null, (h) => h.priority === 'high');
    await escalate(
      ctx,
      urgent ? `urgency:${analysis.urgency.signals.join(',') || 'high'}` : 'negative_sentiment',
      'high',
    );
  } else if (analysis.asksForHuman) {
    understood = handoffIntent(bot, understood, (h) => h.priority !== 'high') ?? understood;
    await escalate(ctx, 'customer_request', 'normal');
  } else if (state.pending) {
    understood = (await continuePending(ctx, understood)) ?? understood;
  } else {
    await route(ctx, understood);
  }

  if (understood) state.lastIntent = understood;
  return {
    replies: ctx.replies,
    state,
    handoff: ctx.handoff,
    understanding: {
      intent: understood,
      confidence: top?.score ?? 0,
      inScope: analysis.inScope,
      candidates: analysis.candidates.slice(0, 5),
      entities: analysis.entities,
      sentiment: analysis.sentiment,
      urgency: analysis.urgency,
      language: detectLanguage(input.text).language,
      handoff: analysis.handoff.kind,
    },
  };
}

const FOLLOW_UP = /^(?:那|那么|那这个|那这单|还有|and|what about|how about)|呢[?？!！。.~～]*$/i;

/**
 * "那退款呢?" right after an order was discussed refers to that order: the best order-bound intent
 * (an order lookup, or a form with an order-number slot) wins over a general FAQ about refunds.
 */
function followUpTarget(ctx: TurnContext): string | null {
  if (!ctx.state.memory.order_number || ctx.state.pending) return null;
  if (!FOLLOW_UP.test(ctx.analysis.normalised.trim()) || ctx.analysis.normalised.length > 16) return null;
  const bound = ctx.analysis.candidates.find((c) => orderBound(ctx.bot, c.target));
  return bound && bound.score >= ctx.bot.clarifyFloor ? bound.target : null;
}

function orderBound(bot: BotDefinition, target: string): boolean {
  const handler = bot.intents.get(target)?.handler;
  if (handler?.type === 'action') return handler.action === 'order.lookup';
  if (handler?.type !== 'form') return false;
  return bot.forms.get(handler.form)?.slots.some((s) => s.entity === 'order_number') ?? false;
}

/** The classifier's target if it is a hand-off intent of the wanted kind, else the template's first one. */
function handoffIntent(
  bot: BotDefinition,
  current: string | null,
  wanted: (h: { reason: string; priority?: 'normal' | 'high' }) => boolean,
): string | null {
  const handlerOf = (name: string) => bot.intents.get(name)?.handler;
  const currentHandler = current ? handlerOf(current) : undefined;
  if (currentHandler?.type === 'handoff' && wanted(currentHandler)) return current;
  for (const [name, intent] of bot.intents)
    if (intent.handler.type === 'handoff' && wanted(intent.handler)) return name;
  return null;
}

/** Answers the waiting step; returns the target the answer resolved to, if any. */
async function continuePending(ctx: TurnContext, understood: string | null): Promise<string | null> {
  const pending = ctx.state.pending!;
  switch (pending.kind) {
    case 'clarify': {
      ctx.state.pending = null;
      const chosen = pickOption(ctx, pending.options);
      await route(ctx, chosen ?? understood);
      return chosen;
    }
    case 'order_number':
      if (ctx.state.memory.order_number && /* given in this very message */ hasEntity(ctx, 'order_number')) {
        await lookupOrder(ctx, pending.intent);
        return pending.intent;
      }
      return switchOrRetry(ctx, understood, async () => {
        pending.attempts += 1;
        if (pending.attempts >= MAX_FALLBACKS) await escalate(ctx, 'order_number_missing', 'normal');
        else say(ctx, ctx.bot.phrases.askOrderNumber, 'ask');
      });
    case 'verify':
      // No digits but a confident new request: the customer moved on.
      if (lastFourDigits(ctx) === null && understood) return switchOrRetry(ctx, understood, async () => {});
      await checkVerification(ctx);
      return pending.intent;
    case 'form': {
      const faq = understood?.startsWith(FAQ_PREFIX)
        ? ctx.bot.faqs.get(understood.slice(FAQ_PREFIX.length))
        : null;
      await continueForm(ctx, faq ? fillPlaceholders(faq.answer, customerValues(ctx)) : undefined);
      return null;
    }
    case 'callback':
      await continueCallback(ctx, ctx.input.text);
      return null;
    case 'offer_handoff': {
      let movedOn = false;
      await answerOffer(ctx, pending, async () => {
        movedOn = true;
        await route(ctx, understood);
      });
      return movedOn ? understood : null;
    }
  }
}

function hasEntity(ctx: TurnContext, type: string): boolean {
  return ctx.analysis.entities.some((e) => e.type === type);
}

/** A confident new request replaces the step the bot was waiting on; anything else retries it. */
async function switchOrRetry(ctx: TurnContext, understood: string | null, retry: () => Promise<void>) {
  if (understood) {
    ctx.state.pending = null;
    await route(ctx, understood);
    return understood;
  }
  await retry();
  return null;
}

/** "2", "第二个", or the option's own wording picks an offered option. */
function pickOption(ctx: TurnContext, options: readonly string[]): string | null {
  const text = normalise(ctx.input.text, { numerals: true }).replace(/[\s.。!！?？]/g, '');
  const index = /^(?:第|no\.?|option)?([1-9])(?:个|条|项|种)?$/i.exec(text);
  if (index) return options[Number(index[1]) - 1] ?? null;
  for (const option of options) {
    const label = normalise(optionLabel(ctx.bot, option)).replace(/[\s.。!！?？]/g, '');
    if (label && (text === label || (text.length >= 4 && label.includes(text)))) return option;
  }
  // A rephrasing whose best reading is one of the offered options settles it.
  const best = ctx.analysis.candidates[0];
  if (best && options.includes(best.target) && best.score >= ctx.bot.clarifyFloor) return best.target;
  return null;
}

function optionLabel(bot: BotDefinition, target: string): string {
  if (target.startsWith(FAQ_PREFIX)) return bot.faqs.get(target.slice(FAQ_PREFIX.length))?.question ?? target;
  const intent = bot.intents.get(target);
  return intent?.examples[0] ?? intent?.description ?? target;
}

async function route(ctx: TurnContext, target: string | null): Promise<void> {
  if (!target) return fallback(ctx);
  ctx.state.fallbacks = 0;
  if (target.startsWith(FAQ_PREFIX)) {
    const faq = ctx.bot.faqs.get(target.slice(FAQ_PREFIX.length));
    if (faq) {
      say(ctx, fillPlaceholders(faq.answer, customerValues(ctx)), 'answer');
      return;
    }
  }
  const handler = ctx.bot.intents.get(target)?.handler;
  if (!handler) return fallback(ctx);
  switch (handler.type) {
    case 'reply':
      say(ctx, fillPlaceholders(handler.text, customerValues(ctx)), 'answer');
      return;
    case 'handoff':
      return escalate(ctx, handler.reason, handler.priority ?? 'normal');
    case 'form':
      return startForm(ctx, handler.form);
    case 'action':
      if (handler.action === 'order.lookup') return lookupOrder(ctx, target);
      if (handler.action === 'ticket.lookup') return reportTickets(ctx, target);
      if (handler.action === 'callback.create') {
        ctx.state.pending = { kind: 'callback', reason: target, phone: null, question: ctx.input.text };
        ctx.state.pending.phone = ctx.state.memory.phone ?? ctx.input.customer.phone ?? null;
        return continueCallback(ctx);
      }
      {
        const { number } = await ctx.ports.createTicket({
          type: target,
          fields: { text: ctx.input.text, ...ctx.state.memory },
          customerId: ctx.input.customer.id,
        });
        const reply = handler.reply ?? '{{ticket.number}}';
        say(ctx, fillPlaceholders(reply, { ...customerValues(ctx), 'ticket.number': number }), 'info');
      }
      return;
  }
}

async function fallback(ctx: TurnContext): Promise<void> {
  ctx.state.fallbacks += 1;
  if (ctx.state.fallbacks >= MAX_FALLBACKS) {
    ctx.state.fallbacks = 0;
    await escalate(ctx, 'fallback', 'normal');
    return;
  }
  const options = ctx.analysis.candidates
    .filter((c) => c.score >= ctx.bot.clarifyFloor && offerable(ctx.bot, c.target))
    .slice(0, CLARIFY_OPTIONS)
    .map((c) => c.target);
  if (options.length === 0) {
    say(ctx, ctx.bot.phrases.rephrase, 'clarify');
    return;
  }
  ctx.state.pending = { kind: 'clarify', options };
  say(ctx, ctx.bot.phrases.clarify(options.map((o) => optionLabel(ctx.bot, o))), 'clarify');
}

/** Small talk and hand-off intents are never worth offering as a guess. */
function offerable(bot: BotDefinition, target: string): boolean {
  if (target.startsWith(FAQ_PREFIX)) return bot.faqs.has(target.slice(FAQ_PREFIX.length));
  const type = bot.intents.get(target)?.handler.type;
  return type === 'form' || type === 'action';
}

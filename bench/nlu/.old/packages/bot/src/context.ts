// What every dialogue step works on during one turn: the compiled definition, the input, the ports,
// a private copy of the state, and the replies collected so far.
import type { BusinessHours } from './hours.ts';
import { isWithinBusinessHours } from './hours.ts';
import type { BotTemplate, TemplateForm, TemplateIntent } from './template.ts';
import type { Phrases } from './text.ts';
import type { BotPorts, DialogueState, Handoff, Reply, ReplyKind, TurnInput } from './types.ts';
import type { Analysis } from './understand.ts';

export interface BotDefinition {
  template: BotTemplate;
  phrases: Phrases;
  intents: ReadonlyMap<string, TemplateIntent>;
  forms: ReadonlyMap<string, TemplateForm>;
  faqs: ReadonlyMap<string, { question: string; answer: string }>;
  /** Combined score at or above which the bot acts on its best target. */
  answerThreshold: number;
  /** Lowest combined score a target needs to be offered in a clarifying question. */
  clarifyFloor: number;
  analyse(text: string): Analysis;
}

export interface TurnContext {
  bot: BotDefinition;
  input: TurnInput;
  ports: BotPorts;
  state: DialogueState;
  analysis: Analysis;
  replies: Reply[];
  handoff: Handoff | null;
}

export function say(ctx: TurnContext, text: string, kind: ReplyKind): void {
  ctx.replies.push({ text, kind });
}

export function humansAvailable(hours: BusinessHours | null | undefined, now: Date): boolean {
  return !hours || isWithinBusinessHours(hours, now);
}

/** Runtime placeholders every reply may use besides the compiled variables. */
export function customerValues(ctx: TurnContext): Record<string, string | undefined> {
  const c = ctx.input.customer;
  return { 'customer.name': c.name ?? undefined, 'customer.phone': c.phone ?? undefined };
}

/** The first entity of a type as a slot value: the normalised value for strings, the text otherwise. */
export function entityValue(ctx: TurnContext, type: string): string | null {
  const entity = ctx.analysis.entities.find((e) => e.type === type);
  if (!entity) return null;
  return typeof entity.value === 'string' ? entity.value : entity.text;
}

/** Remembers stable facts the customer mentioned, so no later step asks for them again. */
export function rememberEntities(ctx: TurnContext): void {
  for (const type of ['order_number', 'phone', 'email'] as const) {
    const value = entityValue(ctx, type);
    if (value) ctx.state.memory[type] = value;
  }
}

// Builds the hand-off card of a conversation the bot passed to people: what it understood (intents with
// confidence), how the customer's mood went (sentiment per message and its direction), what they gave it
// (slots from the dialogue state), what it already answered (with knowledge sources), why it handed over,
// and a 2–3 sentence summary — written by the LLM when one is configured, extractive otherwise or when the
// LLM fails (the card says which, and why).
import {
  type ConversationTurn,
  type HandoffCard,
  type HandoffIntent,
  type HandoffSentiment,
  type Message,
  type SummaryLanguage,
  summariseHandoff,
  type WorkspaceStore,
} from '@zhike/core';
import { analyseSentiment, detectLanguage } from '@zhike/nlu';
import { maskedPii } from '../http/presenters.ts';
import type { HandoffSummaryWriter } from './handoffSummaryWriter.ts';

/** The latest messages read for a card; a hand-off comes early in a conversation, so this is all of it. */
const MAX_MESSAGES = 500;
const MAX_INTENTS = 3;
/** A mean change of sentiment smaller than this between the halves of the conversation is "steady". */
const TREND_THRESHOLD = 0.15;

export interface HandoffCardDeps {
  store: WorkspaceStore;
  now: () => Date;
  writer: HandoffSummaryWriter | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Per message, polarity pulled down by anger: an angry message rated neutral still means a worse mood. */
export function messageSentiment(text: string): number {
  const s = analyseSentiment(text);
  return round2(Math.max(-1, Math.min(1, s.score - 0.5 * s.anger)));
}

export function sentimentTrend(points: HandoffSentiment['points']): HandoffSentiment['direction'] {
  if (points.length < 2) return 'steady';
  const half = Math.floor(points.length / 2);
  const mean = (xs: typeof points) => xs.reduce((sum, p) => sum + p.score, 0) / xs.length;
  const change = mean(points.slice(points.length - half)) - mean(points.slice(0, half));
  return change > TREND_THRESHOLD ? 'improving' : change < -TREND_THRESHOLD ? 'worsening' : 'steady';
}

export function intentsOf(turns: readonly ConversationTurn[]): HandoffIntent[] {
  const byTarget = new Map<string, HandoffIntent & { last: number }>();
  turns.forEach((t, index) => {
    if (!t.target) return;
    const seen = byTarget.get(t.target);
    if (seen) {
      seen.confidence = Math.max(seen.confidence, t.confidence);
      seen.turns += 1;
      seen.last = index;
      seen.label ??= t.targetLabel;
    } else
      byTarget.set(t.target, {
        target: t.target,
        label: t.targetLabel,
        confidence: t.confidence,
        turns: 1,
        last: index,
      });
  });
  // The latest understood first: that is what the customer is on about when the agent arrives.
  return [...byTarget.values()]
    .sort((a, b) => b.last - a.last)
    .slice(0, MAX_INTENTS)
    .map(({ last: _last, ...intent }) => ({ ...intent, confidence: round2(intent.confidence) }));
}

/** What the customer told the bot: its memory of the conversation and a form being filled in. */
export function slotsOf(state: unknown): Record<string, string> {
  const slots: Record<string, string> = {};
  if (typeof state !== 'object' || state === null) return slots;
  const put = (values: unknown) => {
    if (typeof values !== 'object' || values === null) return;
    for (const [key, value] of Object.entries(values))
      if (typeof value === 'string' && value.trim() !== '') slots[key] = value;
  };
  const { memory, pending } = state as { memory?: unknown; pending?: unknown };
  put(memory);
  if (typeof pending === 'object' && pending !== null) {
    const p = pending as Record<string, unknown>;
    if (p.kind === 'form') put(p.values);
    if (p.kind === 'verify' && typeof p.orderNumber === 'string') slots.order_number ??= p.orderNumber;
    if (p.kind === 'callback') put({ phone: p.phone, question: p.question });
  }
  return slots;
}

export function summaryLanguage(customerText: string, workspaceLocale: string): SummaryLanguage {
  const guess = detectLanguage(customerText);
  if (guess.language === 'en') return 'en';
  if (guess.language === 'zh-Hans' || guess.language === 'zh-Hant' || guess.language === 'yue') return 'zh';
  return workspaceLocale === 'en-US' ? 'en' : 'zh';
}

function botAnswersOf(messages: readonly Message[]): HandoffCard['botAnswers'] {
  return messages
    .filter((m) => m.author === 'bot' && m.text.trim() !== '')
    .map((m) => ({
      messageId: m.id,
      text: m.text,
      sources: (m.metadata?.sources ?? []).map((s) => ({ id: s.id, kind: s.kind, title: s.title })),
      generated: m.metadata?.generatedBy === 'llm',
      at: m.createdAt,
    }));
}

/** Computes the card from what is stored now; null when the conversation does not exist. */
export async function buildHandoffCard(
  deps: HandoffCardDeps,
  conversationId: string,
): Promise<HandoffCard | null> {
  const { store } = deps;
  const conversation = await store.conversations.get(conversationId);
  if (!conversation) return null;
  const [workspace, messages, turns, state] = await Promise.all([
    store.workspace.get(),
    store.messages.list(conversation.id, { limit: MAX_MESSAGES }),
    store.botTurns.forConversations([conversation.id]),
    store.botStates.get(conversation.id),
  ]);
  const customerMessages = messages.filter((m) => m.author === 'customer' && m.text.trim() !== '');
  const points = customerMessages.map((m) => ({
    messageId: m.id,
    score: messageSentiment(m.text),
    at: m.createdAt,
  }));
  const handoffTurn = [...turns].reverse().find((t) => t.outcome === 'handed_off') ?? null;
  const intents = intentsOf(turns);
  const slots = slotsOf(state?.state ?? null);
  const language = summaryLanguage(customerMessages.map((m) => m.text).join('\n'), workspace.locale);
  const summaryInput = {
    language,
    customerMessages: customerMessages.map((m) => m.text),
    slots: maskedPii.formFields(slots),
    intentLabel: intents[0]?.label ?? intents[0]?.target ?? null,
    reason: handoffTurn?.handoffReason ?? null,
  };
  const extractive = () => summariseHandoff(summaryInput);
  let summary: HandoffCard['summary'];
  if (!deps.writer) summary = { kind: 'extractive', text: extractive(), fallbackReason: null, language };
  else {
    const written = await deps.writer.summarise({
      ...summaryInput,
      conversationId: conversation.id,
      workspaceId: conversation.workspaceId,
    });
    summary =
      written.kind === 'written'
        ? { kind: 'llm', text: written.text, fallbackReason: null, language }
        : { kind: 'extractive', text: extractive(), fallbackReason: written.reason, language };
  }
  return {
    conversationId: conversation.id,
    customerId: conversation.customerId,
    handedOffAt: handoffTurn?.at ?? null,
    reason: handoffTurn?.handoffReason ?? null,
    intents,
    sentiment: { points, direction: sentimentTrend(points) },
    slots,
    botAnswers: botAnswersOf(messages),
    summary,
    computedAt: deps.now().toISOString(),
  };
}

/** Computes and stores the card, so the agent's console opens it without waiting. */
export async function refreshHandoffCard(
  deps: HandoffCardDeps,
  conversationId: string,
): Promise<HandoffCard | null> {
  const card = await buildHandoffCard(deps, conversationId);
  if (!card) return null;
  // Nothing new since the stored card (a retried job, a second hand-off event): keep it as it was.
  const stored = await deps.store.handoffCards.get(conversationId);
  const { computedAt: _was, ...before } = stored ?? { computedAt: '' };
  const { computedAt: _now, ...after } = card;
  if (stored && JSON.stringify(before) === JSON.stringify(after)) return stored;
  await deps.store.handoffCards.save(card);
  return card;
}

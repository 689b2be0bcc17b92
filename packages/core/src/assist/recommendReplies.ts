// Live reply suggestions for one customer message in a conversation a human holds: the knowledge-base
// answer the bot's own understanding finds, the shop's reply templates for the intent, and what agents
// sent before in conversations that ended well — ranked, with this conversation's variables filled.
import type { Conversation, Message } from '../model.ts';
import { type KnowledgeCandidate, rankSuggestions, type TemplateCandidate } from './rankSuggestions.ts';
import type { ReplyHistoryIndex } from './replyHistory.ts';
import type { RecommendedReplies } from './suggestions.ts';

/** What the NLU made of the customer message (the same analysis and retrieval the bot uses). */
export interface AssistUnderstanding {
  /** The target understood (an intent name or `faq:<id>`); null when nothing was confident enough. */
  intent: string | null;
  /** Every target the message may be about, best first; templates for any of them are candidates. */
  intents: string[];
  /** The knowledge base's best entries for the message (FAQ answers, article passages), best first. */
  knowledge: KnowledgeCandidate[];
  /** The message only asks for a person ("转人工"): it says nothing of what the customer needs. */
  asksForPerson?: boolean;
}

/** How many history clusters are matched for a message (ranked and used as evidence). */
export const HISTORY_EVIDENCE = 20;

/** How many earlier customer messages are read for the subject when the latest only asks for a person. */
export const SUBJECT_LOOKBACK = 10;

export interface RecommendRepliesDeps {
  understand(text: string): Promise<AssistUnderstanding>;
  /** The workspace's live reply templates. */
  templates(): Promise<readonly TemplateCandidate[]>;
  history(): Promise<ReplyHistoryIndex>;
  /** The conversation's customer messages before the given one, newest first (at most `limit`). */
  earlierCustomerMessages(limit: number): Promise<readonly Message[]>;
  /** Fills the conversation's `{{variables}}`; those it cannot fill stay and are listed. */
  fill(text: string): Promise<{ text: string; missing: string[] }>;
  now: Date;
}

export async function recommendReplies(
  deps: RecommendRepliesDeps,
  input: { conversation: Conversation; message: Message },
): Promise<RecommendedReplies> {
  const [{ text, understanding }, templates, history] = await Promise.all([
    subjectOf(deps, input.message),
    deps.templates(),
    deps.history(),
  ]);
  // Every cluster matched, not only the top three: they are also the evidence knowledge and templates
  // are scored by.
  const matches = history.match(understanding.intent, text, HISTORY_EVIDENCE, deps.now);
  const ranked = rankSuggestions({
    message: text,
    intent: understanding.intent,
    intents: understanding.intents,
    knowledge: understanding.knowledge,
    templates,
    history: matches.map((m) => ({ id: m.cluster.id, text: m.cluster.text, score: m.score })),
  });
  const suggestions = await Promise.all(
    ranked.map(async (s) => {
      const filled = await deps.fill(s.text);
      return { ...s, text: filled.text, missingVariables: filled.missing };
    }),
  );
  return {
    conversationId: input.conversation.id,
    messageId: input.message.id,
    intent: understanding.intent,
    suggestions,
  };
}

/**
 * What the suggestions answer. Usually the message itself; but the message that brings a person in is
 * mostly a bare request for one ("转人工") after the customer told the bot what they need ("我要退款",
 * the order number), so then the newest earlier message the bot understood stands for it — otherwise the
 * agent would be offered how to reach a human, to a customer who just reached one.
 */
async function subjectOf(
  deps: RecommendRepliesDeps,
  message: Message,
): Promise<{ text: string; understanding: AssistUnderstanding }> {
  const understanding = await deps.understand(message.text);
  if (!understanding.asksForPerson) return { text: message.text, understanding };
  for (const earlier of await deps.earlierCustomerMessages(SUBJECT_LOOKBACK)) {
    const u = await deps.understand(earlier.text);
    if (u.intent && !u.asksForPerson) return { text: earlier.text, understanding: u };
  }
  return { text: message.text, understanding };
}

// The bot in the customer's language. In front of the template bot (written in the workspace's language):
// - a customer who writes Chinese in traditional characters or Cantonese is understood by the NLU's
//   dialect normalisation and answered in their script and regional wording (OpenCC, always available);
// - a customer who writes another language (English to a Chinese shop, Vietnamese…) is, when the workspace
//   has a translation provider, understood through a translation into the bot's language and answered in
//   theirs, the bot's own wording kept on each reply for agents;
// - without a provider, the bot answers in the workspace's language, as before.
import type { Bot, BotDecision, BotInput, MessageTranslation } from '@zhike/core';
import { detectLanguage } from '@zhike/nlu';
import type { Logger } from 'pino';
import { CONFIDENT_LANGUAGE, languageOfLocale, sameFamily, servedLanguage } from './languages.ts';
import { inCustomerScript, readsTraditional } from './script.ts';
import type { TranslationService } from './service.ts';

function inScript(decision: BotDecision, language: string): BotDecision {
  const handoff = decision.handoff;
  return {
    ...decision,
    replies: decision.replies.map((r) => inCustomerScript(r, language)),
    handoff: handoff?.notice ? { ...handoff, notice: inCustomerScript(handoff.notice, language) } : handoff,
    replyLanguage: language,
  };
}

export function multilingualBot(inner: Bot, translation: TranslationService, log: Logger): Bot {
  const decideTranslated = async (input: BotInput, language: string, botLanguage: string) => {
    const ws = await translation.forWorkspace(input.workspaceId);
    if (!ws.translator) return inner.decide(input);
    let understood: string;
    try {
      [understood = input.text] = await translation.translate(
        input.workspaceId,
        [input.text],
        language,
        botLanguage,
      );
    } catch (error) {
      // The provider is down: the bot tries the original words (names, order numbers still match).
      log.warn(
        { err: error, workspaceId: input.workspaceId },
        'translating a customer message for the bot failed',
      );
      return inner.decide(input);
    }
    const decision = await inner.decide({ ...input, text: understood });
    const notice = decision.handoff?.notice;
    const originals = notice ? [...decision.replies, notice] : decision.replies;
    if (originals.length === 0) return withLanguage(decision, language);
    let translated: string[];
    try {
      translated = await translation.translate(input.workspaceId, originals, botLanguage, language);
    } catch (error) {
      log.warn({ err: error, workspaceId: input.workspaceId }, 'translating the bot reply failed');
      return withLanguage(decision, language);
    }
    const provider = ws.translator.id;
    const replyTranslations: MessageTranslation[] = decision.replies.map((text) => ({
      language: botLanguage,
      text,
      machine: 'text',
      provider,
    }));
    return {
      ...withLanguage(decision, language),
      replies: translated.slice(0, decision.replies.length),
      handoff:
        decision.handoff && notice
          ? { ...decision.handoff, notice: translated[decision.replies.length] ?? notice }
          : decision.handoff,
      replyLanguage: language,
      replyTranslations,
      // A model rewriting the reply from passages would write the workspace's language again.
      knowledge: null,
    };
  };

  return {
    ...(inner.carryOver ? { carryOver: (state: unknown) => inner.carryOver!(state) } : {}),
    async decide(input) {
      const language = await replyLanguage(input, translation);
      if (!language) return inner.decide(input);
      const botLanguage = languageOfLocale(input.locale);
      if (sameFamily(language, botLanguage)) {
        const decision = await inner.decide(input);
        return botLanguage === 'zh-Hans' && readsTraditional(language)
          ? inScript(decision, language)
          : decision;
      }
      return decideTranslated(input, language, botLanguage);
    },
  };
}

/**
 * The language to answer in: the message's when it says enough ("我張單幾時到呀?"), otherwise the one the
 * customer is remembered by ("ZK20261125001", "8000", "ok" say nothing about who writes them).
 */
async function replyLanguage(input: BotInput, translation: TranslationService): Promise<string | null> {
  const guess = detectLanguage(input.text);
  const confident = guess.language !== 'other' && guess.confidence >= CONFIDENT_LANGUAGE;
  const detected = servedLanguage(input.language ?? null);
  if (confident && detected) return detected;
  return (await translation.customerLanguage(input.workspaceId, input.customerId)) ?? detected;
}

/** Routing sees the language the customer wrote, not the one the bot read. */
function withLanguage(decision: BotDecision, language: string): BotDecision {
  return decision.analysis ? { ...decision, analysis: { ...decision.analysis, language } } : decision;
}

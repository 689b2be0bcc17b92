// The brain of one campaign call: says the shop's script, then for a survey collects a 1–5 score (keys
// or speech, asked twice at most) and for a notification offers one repeat. It keeps the call's result
// for the dialler to store; it never hands off (an outbound survey is not a support line).
import type { Campaign, TargetResult } from '@zhike/core';
import { surveyScore } from '@zhike/core';
import type { BrainReply, CallerInput, VoiceBrain } from '@zhike/voice';
import { campaignPrompts } from './prompts.ts';

export interface CampaignCallBrain extends VoiceBrain {
  /** What the call produced so far (null until the customer answered or heard the message). */
  result(): TargetResult | null;
}

export function createCampaignBrain(
  campaign: Pick<Campaign, 'kind' | 'script' | 'language'>,
  fill: (script: string) => string,
): CampaignCallBrain {
  const prompts = campaignPrompts(campaign.language);
  const script = fill(campaign.script);
  let result: TargetResult | null = null;
  let asks = 0;
  let repeats = 0;

  const survey = (input: CallerInput): BrainReply => {
    const score =
      input.kind === 'digits'
        ? surveyScore({ digits: input.digits })
        : input.kind === 'speech'
          ? surveyScore({ speech: input.text })
          : null;
    if (score !== null) {
      result = {
        score,
        answer: input.kind === 'digits' ? input.digits : input.kind === 'speech' ? input.text : '',
      };
      return { say: [prompts.surveyThanks(score)], next: 'hangup' };
    }
    asks++;
    if (asks >= 2) return { say: [prompts.surveyNoAnswer], next: 'hangup' };
    return { say: [prompts.surveyAgain], next: 'digits', maxDigits: 1 };
  };

  return {
    async start() {
      if (campaign.kind === 'survey')
        return { say: [script, prompts.surveyHowTo], next: 'digits', maxDigits: 1 };
      result = { heard: true };
      return { say: [script, prompts.notificationRepeat], next: 'digits', maxDigits: 1 };
    },
    async turn(_callId, input) {
      if (campaign.kind === 'survey') return survey(input);
      if (input.kind === 'digits' && input.digits.startsWith('1') && repeats < 2) {
        repeats++;
        return { say: [script, prompts.notificationRepeat], next: 'digits', maxDigits: 1 };
      }
      return { say: [prompts.goodbye], next: 'hangup' };
    },
    async end() {},
    result: () => result,
  };
}

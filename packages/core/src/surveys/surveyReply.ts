// Whether a customer's message is a digit reply to a survey sent to them in this inbox ("1".."5" while
// the survey is open), and the conversation the survey asked about.
import type { Conversation } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import type { Survey } from './surveys.ts';
import { digitScore } from './surveyText.ts';

export async function surveyReplyOf(
  tx: WorkspaceRepositories,
  customerId: string,
  inboxId: string,
  text: string,
  now: string,
): Promise<{ survey: Survey; conversation: Conversation; score: number } | null> {
  const score = digitScore(text);
  if (score === null) return null;
  const survey = await tx.surveys.awaitingReply(customerId, inboxId, now);
  if (!survey?.conversationId) return null;
  const conversation = await tx.conversations.get(survey.conversationId);
  if (!conversation || conversation.customerId !== customerId) return null;
  return { survey, conversation, score };
}

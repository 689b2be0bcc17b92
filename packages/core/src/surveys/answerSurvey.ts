// The customer answered a survey (the page, the widget's card, a digit reply, a call): store the score
// and comment once, rate the conversation it asked about (agent metrics and reply history read that),
// and queue the answer's review — whether it is negative and needs a person — as a durable job in the
// same transaction.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { JobPayloads } from '../jobs.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { SURVEY_COMMENT_MAX, type Survey, type SurveyAnswerVia } from './surveys.ts';

export interface AnswerSurveyInput {
  surveyId: string;
  score: number;
  comment?: string | null;
  via: SurveyAnswerVia;
}

export type AnswerOutcome = 'answered' | 'already_answered' | 'expired' | 'not_sent';

function checkAnswer(input: Pick<AnswerSurveyInput, 'score' | 'comment'>): string | null {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5)
    throw new DomainError('validation_failed', 'score must be a whole number from 1 to 5');
  const comment = input.comment?.trim() || null;
  if (comment && [...comment].length > SURVEY_COMMENT_MAX)
    throw new DomainError('validation_failed', `comment must be at most ${SURVEY_COMMENT_MAX} characters`);
  return comment;
}

/** Inside the caller's transaction (a digit reply is stored with its message). */
export async function answerSurveyIn(
  deps: Pick<UseCaseDeps, 'clock'> & { workspaceId: string },
  tx: WorkspaceRepositories,
  survey: Survey,
  input: Omit<AnswerSurveyInput, 'surveyId'>,
): Promise<{ outcome: AnswerOutcome; events: DomainEvent[] }> {
  const comment = checkAnswer(input);
  const now = deps.clock.now().toISOString();
  if (survey.status === 'answered') return { outcome: 'already_answered', events: [] };
  if (survey.status !== 'sent') return { outcome: 'not_sent', events: [] };
  if (survey.expiresAt && survey.expiresAt <= now) return { outcome: 'expired', events: [] };
  const recorded = await tx.surveys.recordAnswer(survey.id, {
    score: input.score,
    comment,
    answeredAt: now,
    via: input.via,
  });
  if (!recorded) return { outcome: 'already_answered', events: [] };
  const events: DomainEvent[] = [
    {
      name: 'survey.answered',
      workspaceId: deps.workspaceId,
      occurredAt: now,
      surveyId: survey.id,
      score: input.score,
    },
  ];
  if (
    survey.conversationId &&
    (await tx.assist.rate(survey.conversationId, { score: input.score, comment, ratedAt: now }))
  )
    events.push({
      name: 'conversation.rated',
      workspaceId: deps.workspaceId,
      occurredAt: now,
      conversationId: survey.conversationId,
      score: input.score,
    });
  const payload: JobPayloads['survey.review'] = { workspaceId: deps.workspaceId, surveyId: survey.id };
  await tx.jobs.enqueue({
    name: 'survey.review',
    payload: { ...payload },
    runAt: now,
    idempotencyKey: `survey-review:${survey.id}`,
  });
  return { outcome: 'answered', events };
}

export async function answerSurvey(
  deps: UseCaseDeps,
  input: AnswerSurveyInput,
): Promise<{ outcome: AnswerOutcome; events: DomainEvent[] }> {
  checkAnswer(input);
  return deps.store.transaction(async (tx) => {
    const survey = await tx.surveys.get(input.surveyId);
    if (!survey) throw notFound('survey');
    return answerSurveyIn({ clock: deps.clock, workspaceId: deps.store.workspaceId }, tx, survey, input);
  });
}

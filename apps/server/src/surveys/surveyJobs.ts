// The durable survey jobs: `survey.send` posts a due survey on the customer's channel, `survey.review`
// reads an answer's comment (the workspace bot's NLU: sentiment, and whether it hands off as a complaint)
// and lets the core decide whether a person must follow up.

import { type CommentReading, isComplaintHandoff, type JobPayloads } from '@zhike/core';
import type { ClaimedJob, Database } from '@zhike/db';
import { analyseSentiment } from '@zhike/nlu';
import type { TemplateBot } from '../bot/templateBot.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { SurveyCommands } from './surveyCommands.ts';

export async function readComment(
  deps: { db: Database; bot: Pick<TemplateBot, 'previewDecision'> },
  workspaceId: string,
  comment: string | null,
  now: Date,
): Promise<CommentReading> {
  if (!comment) return { negative: false, complaint: false };
  const workspace = await deps.db.forWorkspace(workspaceId).workspace.get();
  const decision = await deps.bot.previewDecision(workspaceId, workspace.locale, comment, now);
  const polarity = decision?.analysis?.sentiment.polarity ?? analyseSentiment(comment).polarity;
  return { negative: polarity === 'negative', complaint: isComplaintHandoff(decision?.handoff?.reason) };
}

export function surveyJobHandlers(deps: {
  db: Database;
  bot: Pick<TemplateBot, 'previewDecision'>;
  commands: SurveyCommands;
  now: () => Date;
}): Record<'survey.send' | 'survey.review', JobHandler> {
  return {
    'survey.send': async (job: ClaimedJob) => {
      const { workspaceId, surveyId } = job.payload as JobPayloads['survey.send'];
      await deps.commands.sendSurvey(workspaceId, surveyId);
    },
    'survey.review': async (job: ClaimedJob) => {
      const { workspaceId, surveyId } = job.payload as JobPayloads['survey.review'];
      const survey = await deps.db.forWorkspace(workspaceId).surveys.get(surveyId);
      if (survey?.status !== 'answered') return;
      const reading = await readComment(deps, workspaceId, survey.comment, deps.now());
      await deps.commands.reviewSurveyAnswer(workspaceId, { surveyId, reading });
    },
  };
}

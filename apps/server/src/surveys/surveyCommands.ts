// The survey and complaint verbs: each runs one core use case for a workspace, then publishes its events
// after commit and nudges the job worker (like commands.ts, kept apart so each context has its own file).
import {
  answerSurvey,
  type Clock,
  type CommentReading,
  closeComplaint,
  closeComplaintsOfTicket,
  type DomainEvent,
  type EventBus,
  flagComplaint,
  reviewSurveyAnswer,
  type ScheduleSurveyInput,
  type SurveyAnswerVia,
  type SurveyLinks,
  scheduleSurvey,
  sendSurvey,
  type UseCaseDeps,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';

export interface SurveyCommandDeps {
  db: Database;
  bus: EventBus;
  clock: Clock;
  newId: () => string;
  log: Logger;
  links: SurveyLinks;
  wakeWorker: () => void;
}

export function createSurveyCommands(d: SurveyCommandDeps) {
  const deps = (workspaceId: string): UseCaseDeps => ({
    store: d.db.forWorkspace(workspaceId),
    clock: d.clock,
    newId: d.newId,
  });
  const publish = async (events: readonly DomainEvent[]) => {
    d.wakeWorker();
    if (events.length === 0) return;
    try {
      await d.bus.publish(events);
    } catch (error) {
      d.log.error({ err: error, events: events.map((e) => e.name) }, 'event publish failed');
    }
  };
  return {
    async scheduleSurvey(workspaceId: string, input: ScheduleSurveyInput) {
      const result = await scheduleSurvey(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    async sendSurvey(workspaceId: string, surveyId: string) {
      const result = await sendSurvey({ ...deps(workspaceId), links: d.links }, { surveyId });
      await publish(result.events);
      return result.sent;
    },
    async answerSurvey(
      workspaceId: string,
      input: { surveyId: string; score: number; comment?: string | null; via: SurveyAnswerVia },
    ) {
      const result = await answerSurvey(deps(workspaceId), input);
      await publish(result.events);
      return result.outcome;
    },
    async reviewSurveyAnswer(workspaceId: string, input: { surveyId: string; reading: CommentReading }) {
      const result = await reviewSurveyAnswer(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    async flagComplaint(
      workspaceId: string,
      input: {
        conversationId: string;
        note?: string | null;
        openedBy: string | null;
        source: 'manual' | 'intent';
      },
    ) {
      const result = await flagComplaint(deps(workspaceId), input);
      await publish(result.events);
      return result;
    },
    async closeComplaint(
      workspaceId: string,
      input: { complaintId: string; resolutionNote: string; customerConfirmed: boolean; userId: string },
    ) {
      const result = await closeComplaint(deps(workspaceId), input);
      await publish(result.events);
      return result.complaint;
    },
    async closeComplaintsOfTicket(workspaceId: string, input: { ticketId: string }) {
      const result = await closeComplaintsOfTicket(deps(workspaceId), input);
      await publish(result.events);
      return result.closed;
    },
  };
}

export type SurveyCommands = ReturnType<typeof createSurveyCommands>;

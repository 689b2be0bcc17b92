// An answered survey is reviewed (the `survey.review` job): a score of 2 or less, a comment the NLU reads
// as negative or a complaint turns it into a complaint with a follow-up ticket for a person. Idempotent:
// the complaint and the ticket are keyed by the survey.
import { openComplaintIn } from '../complaints/openComplaint.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { followUpSubject } from './surveyText.ts';

export const NEGATIVE_SCORE_MAX = 2;

export interface CommentReading {
  /** The NLU's sentiment reads the comment as negative. */
  negative: boolean;
  /** The comment is a complaint (the bot's complaint intent). */
  complaint: boolean;
}

export interface ReviewSurveyOutput {
  negative: boolean;
  complaintId: string | null;
  ticketId: string | null;
  events: DomainEvent[];
}

export const FOLLOW_UP_TICKET_TYPE = 'survey_followup';

export async function reviewSurveyAnswer(
  deps: UseCaseDeps,
  input: { surveyId: string; reading: CommentReading },
): Promise<ReviewSurveyOutput> {
  return deps.store.transaction(async (tx) => {
    const none: ReviewSurveyOutput = { negative: false, complaintId: null, ticketId: null, events: [] };
    const survey = await tx.surveys.get(input.surveyId);
    if (survey?.status !== 'answered' || survey.score === null) return none;
    const now = deps.clock.now().toISOString();
    const negative = survey.score <= NEGATIVE_SCORE_MAX || input.reading.negative || input.reading.complaint;
    if (!negative) {
      await tx.surveys.markReviewed(survey.id, { negative: false, complaintId: null, at: now });
      return none;
    }
    const ticket = await tx.tickets.create({
      type: FOLLOW_UP_TICKET_TYPE,
      fields: {
        score: String(survey.score),
        ...(survey.comment ? { comment: survey.comment } : {}),
        survey: survey.id,
      },
      conversationId: survey.conversationId,
      customerId: survey.customerId,
      sourceKey: `survey:${survey.id}`,
      createdAt: now,
      subject: followUpSubject((await tx.workspace.get()).locale, survey.score),
      description: survey.comment,
      // A person calls back soon: the high priority's SLA targets are the short ones.
      priority: 'high',
      source: 'survey',
    });
    const opened = await openComplaintIn({ ...deps, workspaceId: deps.store.workspaceId }, tx, {
      source: 'survey',
      customerId: survey.customerId,
      conversationId: survey.conversationId,
      ticketId: ticket.id,
      surveyId: survey.id,
      note: survey.comment,
      openedBy: null,
    });
    if (opened.complaint.ticketId !== ticket.id)
      await tx.complaints.linkTicket(opened.complaint.id, ticket.id);
    await tx.surveys.markReviewed(survey.id, { negative: true, complaintId: opened.complaint.id, at: now });
    // Announced like every new ticket: its SLA clocks start now (and the console lists it at once).
    const created: DomainEvent = {
      name: 'ticket.created',
      workspaceId: deps.store.workspaceId,
      occurredAt: now,
      ticketId: ticket.id,
      source: 'survey',
      conversationId: survey.conversationId,
      customerId: survey.customerId,
    };
    return {
      negative: true,
      complaintId: opened.complaint.id,
      ticketId: ticket.id,
      events: [created, ...opened.events],
    };
  });
}

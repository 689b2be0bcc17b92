// A complaint starts being tracked: from a complaint intent in a conversation, a negative survey, or an
// agent's flag. One complaint per source (the same survey or conversation never opens two).
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { COMPLAINT_NOTE_MAX, type Complaint, type ComplaintSource } from './complaints.ts';

export interface OpenComplaintInput {
  source: ComplaintSource;
  customerId: string;
  conversationId: string | null;
  ticketId?: string | null;
  surveyId?: string | null;
  note?: string | null;
  /** The agent flagging it; null for the system. */
  openedBy: string | null;
}

const sourceKeyOf = (input: OpenComplaintInput, id: string): string => {
  if (input.source === 'survey') return `survey:${input.surveyId}`;
  if (input.source === 'intent') return `conversation:${input.conversationId}`;
  return `manual:${id}`;
};

export async function openComplaintIn(
  deps: Pick<UseCaseDeps, 'clock' | 'newId'> & { workspaceId: string },
  tx: WorkspaceRepositories,
  input: OpenComplaintInput,
): Promise<{ complaint: Complaint; created: boolean; events: DomainEvent[] }> {
  const note = input.note?.trim() || null;
  if (note && [...note].length > COMPLAINT_NOTE_MAX)
    throw new DomainError('validation_failed', `note must be at most ${COMPLAINT_NOTE_MAX} characters`);
  const id = deps.newId();
  const now = deps.clock.now().toISOString();
  const opened = await tx.complaints.open({
    id,
    sourceKey: sourceKeyOf(input, id),
    source: input.source,
    customerId: input.customerId,
    conversationId: input.conversationId,
    ticketId: input.ticketId ?? null,
    surveyId: input.surveyId ?? null,
    note,
    openedBy: input.openedBy,
    createdAt: now,
  });
  const events: DomainEvent[] = opened.created
    ? [
        {
          name: 'complaint.opened',
          workspaceId: deps.workspaceId,
          occurredAt: now,
          complaintId: opened.complaint.id,
          source: input.source,
        },
      ]
    : [];
  return { ...opened, events };
}

/** An agent flags a conversation as a complaint (or the bot's complaint intent does). */
export async function flagComplaint(
  deps: UseCaseDeps,
  input: {
    conversationId: string;
    note?: string | null;
    openedBy: string | null;
    source: 'manual' | 'intent';
  },
): Promise<{ complaint: Complaint; created: boolean; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const conversation = await tx.conversations.get(input.conversationId);
    if (!conversation) throw notFound('conversation');
    return openComplaintIn({ ...deps, workspaceId: deps.store.workspaceId }, tx, {
      source: input.source,
      customerId: conversation.customerId,
      conversationId: conversation.id,
      note: input.note ?? null,
      openedBy: input.openedBy,
    });
  });
}

// A complaint is closed: by an agent, with the resolution and the customer's confirmation, or when the
// follow-up ticket it is linked to is closed.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { COMPLAINT_NOTE_MAX, type Complaint } from './complaints.ts';

export async function closeComplaint(
  deps: UseCaseDeps,
  input: { complaintId: string; resolutionNote: string; customerConfirmed: boolean; userId: string },
): Promise<{ complaint: Complaint; events: DomainEvent[] }> {
  const note = input.resolutionNote.trim();
  if (!note) throw new DomainError('validation_failed', 'a resolution note is required');
  if ([...note].length > COMPLAINT_NOTE_MAX)
    throw new DomainError(
      'validation_failed',
      `resolutionNote must be at most ${COMPLAINT_NOTE_MAX} characters`,
    );
  if (!input.customerConfirmed)
    throw new DomainError('validation_failed', "a complaint is closed only with the customer's confirmation");
  return deps.store.transaction(async (tx) => {
    const complaint = await tx.complaints.get(input.complaintId);
    if (!complaint) throw notFound('complaint');
    if (complaint.status === 'closed') throw new DomainError('conflict', 'the complaint is closed already');
    const now = deps.clock.now().toISOString();
    await tx.complaints.close(complaint.id, {
      resolutionNote: note,
      confirmation: 'customer',
      closedBy: input.userId,
      closedAt: now,
    });
    const closed = await tx.complaints.get(complaint.id);
    if (!closed) throw notFound('complaint');
    return {
      complaint: closed,
      events: [
        {
          name: 'complaint.closed',
          workspaceId: deps.store.workspaceId,
          occurredAt: now,
          complaintId: complaint.id,
          confirmation: 'customer',
        },
      ],
    };
  });
}

/**
 * The follow-up ticket was closed: the complaints it carried close with it. Their resolution note is the
 * ticket's last written word (the note on solving or closing it, or the last reply to the customer).
 */
export async function closeComplaintsOfTicket(
  deps: UseCaseDeps,
  input: { ticketId: string },
): Promise<{ closed: string[]; events: DomainEvent[] }> {
  return deps.store.transaction(async (tx) => {
    const now = deps.clock.now().toISOString();
    const closed: string[] = [];
    const events: DomainEvent[] = [];
    const open = await tx.complaints.openForTicket(input.ticketId);
    if (open.length === 0) return { closed, events };
    const ticket = await tx.tickets.get(input.ticketId);
    if (ticket?.status !== 'closed') return { closed, events };
    const written = (await tx.tickets.entries(ticket.id)).filter((e) => e.body?.trim());
    const resolutionNote = written.at(-1)?.body?.trim().slice(0, COMPLAINT_NOTE_MAX) ?? null;
    for (const complaint of open) {
      const done = await tx.complaints.close(complaint.id, {
        resolutionNote,
        confirmation: 'ticket_closed',
        closedBy: 'system',
        closedAt: now,
      });
      if (!done) continue;
      closed.push(complaint.id);
      events.push({
        name: 'complaint.closed',
        workspaceId: deps.store.workspaceId,
        occurredAt: now,
        complaintId: complaint.id,
        confirmation: 'ticket_closed',
      });
    }
    return { closed, events };
  });
}

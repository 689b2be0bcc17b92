// Opens a ticket: from a conversation (its customer and transcript come along), by hand, from an email,
// the API, the bot or a survey. Custom fields are checked against the workspace's definitions; without an
// explicit assignee the assignment rules decide. Idempotent per source key.
import { DomainError, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { NewJob, UseCaseDeps, WorkspaceRepositories } from '../ports.ts';
import { decideTicketAssignment } from './assignmentRules.ts';
import { validateCustomFields } from './customFields.ts';
import {
  type CustomFieldValue,
  TICKET_LIMITS,
  type Ticket,
  type TicketAuthorType,
  type TicketPriority,
  type TicketSource,
} from './ticket.ts';

/** Who did something to a ticket: a user (id), the customer, the bot, the system or an API key. */
export interface TicketActor {
  type: TicketAuthorType;
  id: string | null;
}

export interface OpenTicketInput {
  subject: string;
  description?: string | null;
  type?: string;
  category?: string | null;
  priority?: TicketPriority;
  conversationId?: string | null;
  customerId?: string | null;
  customFields?: Record<string, CustomFieldValue>;
  orderNumbers?: string[];
  /** An explicit assignee; absent: the assignment rules decide. */
  assigneeId?: string | null;
  /** What the bot's form collected. */
  fields?: Record<string, string>;
  source: TicketSource;
  actor: TicketActor;
  /** Same key, same ticket (a retried request or job). */
  sourceKey?: string | null;
}

export interface OpenTicketOutput {
  ticket: Ticket;
  /** false when the source key had opened it already. */
  created: boolean;
  events: DomainEvent[];
}

const invalid = (message: string) => new DomainError('validation_failed', message);

/** The durable job that tells the customer of the ticket's status; written with the change. */
export const notifyCustomerJob = (workspaceId: string, ticketId: string, at: string): NewJob => ({
  name: 'ticket.notify_customer',
  payload: { workspaceId, ticketId },
  runAt: at,
  idempotencyKey: `ticket-notify:${ticketId}:${at}`,
});

/** Rules, teams, agents and their load: what the assignment decision needs. */
async function decideAssignee(
  tx: WorkspaceRepositories,
  ticket: Pick<Ticket, 'category' | 'type' | 'priority'>,
) {
  const rules = await tx.tickets.assignmentRules.list();
  if (!rules.some((r) => r.enabled)) return null;
  const [queues, agents, users] = await Promise.all([tx.queues.list(), tx.agents.list(), tx.users.list()]);
  const load = await tx.tickets.activeLoad(agents.map((a) => a.userId));
  return decideTicketAssignment({
    ticket,
    rules,
    queues,
    agents,
    load,
    userIds: new Set(users.map((u) => u.id)),
  });
}

export async function openTicket(deps: UseCaseDeps, input: OpenTicketInput): Promise<OpenTicketOutput> {
  const subject = input.subject.trim();
  if (!subject) throw invalid('subject is required');
  if ([...subject].length > TICKET_LIMITS.subjectLength)
    throw invalid(`subject must be at most ${TICKET_LIMITS.subjectLength} characters`);
  const description = input.description?.trim() || null;
  if (description && [...description].length > TICKET_LIMITS.bodyLength)
    throw invalid(`description must be at most ${TICKET_LIMITS.bodyLength} characters`);
  const orderNumbers = [
    ...new Set((input.orderNumbers ?? []).map((n) => n.trim().toUpperCase()).filter(Boolean)),
  ];
  if (orderNumbers.length > TICKET_LIMITS.orderNumbers) throw invalid('too many linked orders');
  if (input.sourceKey) {
    const existing = await deps.store.tickets.findBySourceKey(input.sourceKey);
    if (existing) return { ticket: existing, created: false, events: [] };
  }

  return deps.store.transaction(async (tx) => {
    let customerId = input.customerId ?? null;
    const conversationId = input.conversationId ?? null;
    let lastMessageId: string | null = null;
    if (conversationId) {
      const conversation = await tx.conversations.get(conversationId);
      if (!conversation) throw notFound('conversation');
      if (customerId && customerId !== conversation.customerId)
        throw invalid("customerId is not the conversation's customer");
      customerId = conversation.customerId;
      lastMessageId = (await tx.messages.list(conversationId, { limit: 1 }))[0]?.id ?? null;
    } else if (customerId) {
      const customer = await tx.customers.get(customerId);
      if (!customer) throw notFound('customer');
      customerId = customer.id; // a merged-away id resolves to the survivor
    }
    // People opening a ticket can fill the required fields; the bot, an email or a survey cannot.
    const customFields = validateCustomFields(
      await tx.tickets.fieldDefinitions.list(),
      input.customFields ?? {},
      {
        requireAll: input.source === 'agent' || input.source === 'api',
      },
    );
    const type = input.type ?? 'question';
    const category = input.category?.trim() || null;
    const priority = input.priority ?? 'normal';

    let assigneeId: string | null = null;
    let queueId: string | null = null;
    let ruleId: string | null = null;
    if (input.assigneeId) {
      if (!(await tx.users.get(input.assigneeId))) throw notFound('assignee');
      assigneeId = input.assigneeId;
    } else if (input.assigneeId === undefined) {
      const decision = await decideAssignee(tx, { category, type, priority });
      if (decision) ({ assigneeId, queueId, ruleId } = decision);
    }

    const now = deps.clock.now().toISOString();
    const ticket = await tx.tickets.create({
      type,
      fields: input.fields ?? {},
      conversationId,
      customerId,
      sourceKey: input.sourceKey ?? null,
      createdAt: now,
      subject,
      description,
      category,
      priority,
      // Someone holds it from the start: it is open, not new.
      status: assigneeId ? 'open' : 'new',
      source: input.source,
      assigneeId,
      queueId,
      customFields,
      orderNumbers,
      createdBy: input.actor.type === 'user' ? input.actor.id : null,
    });
    await tx.tickets.addEntry({
      id: deps.newId(),
      ticketId: ticket.id,
      kind: 'created',
      authorType: input.actor.type,
      authorId: input.actor.id,
      body: null,
      // The transcript is the conversation up to this message: the ticket links it, nothing is copied.
      data: {
        source: input.source,
        conversationId,
        transcriptUpTo: lastMessageId,
        assigneeId,
        queueId,
        ruleId,
      },
      mentions: [],
      messageId: null,
      sourceKey: `created:${ticket.id}`,
      createdAt: now,
    });
    if (input.actor.type === 'user' && input.actor.id)
      await tx.tickets.watchers.add(ticket.id, input.actor.id, now);
    // Opened straight to someone: the customer hears it is being worked on.
    if (ticket.status !== 'new')
      await tx.jobs.enqueue(notifyCustomerJob(deps.store.workspaceId, ticket.id, now));
    const base = { workspaceId: deps.store.workspaceId, occurredAt: now, ticketId: ticket.id };
    const events: DomainEvent[] = [
      { ...base, name: 'ticket.created', source: input.source, conversationId, customerId },
    ];
    if (assigneeId || queueId) events.push({ ...base, name: 'ticket.assigned', assigneeId, queueId, ruleId });
    return { ticket, created: true, events };
  });
}

// What happens after a conversation, on the agenda: tickets worked to their solution over hours or days
// in the shop's working hours (most within their SLA, some not: the SLA jobs on the simulated clock
// decide which breached), follow-up surveys answered by a share of customers on their own channel or the
// survey page, negative answers followed up by the supervisor, and complaints closed — some late, a few
// not by the end of the history.
import type { ChannelType, Ticket, TicketActor } from '@zhike/core';
import type { Customer, TextChannel } from './cast.ts';
import { SLA_TARGETS } from './demoShop.ts';
import {
  AGENT_ANSWERS,
  CATEGORY_OF,
  EMAIL_ACKNOWLEDGEMENTS,
  EMAIL_AGENT_REPLIES,
  SURVEY_COMMENTS_BAD,
  SURVEY_COMMENTS_GOOD,
  TICKET_FIRST_REPLIES,
  TICKET_NOTES,
  type Topic,
} from './lines.ts';
import type { Run } from './run.ts';
import { afterWorkingMinutes, atWork } from './simulation.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface TicketWork {
  ticketId: string;
  topic: Topic;
  /** Who works it (when the assignment rules gave it nobody). */
  agentId: string;
  /** The agent answered the customer in the conversation when opening it (the first response is met). */
  firstReplied: boolean;
  /** The conversation is still open: the agent answers there, and resolves it with the solution. */
  inConversation: boolean;
  customer?: { who: Customer; channel: ChannelType };
  /** A complaint the ticket settles, closed by the supervisor once the customer confirms. */
  complaintId?: string | null;
  /** A negative survey's follow-up: a call back, then closed (which closes its complaint). */
  followUp?: boolean;
  /** A complaint that came in as an ordinary ticket (an angry e-mail): refiled as one when picked up. */
  refileAsComplaint?: boolean;
}

export function followUpsOf(run: Run) {
  const { sim, shop, summary } = run;
  const { ctx, workspaceId, store, rand } = sim;
  const user = (id: string): TicketActor => ({ type: 'user', id });
  const tracked = new Set<string>();

  const noteTicket = (ticket: Ticket) => {
    if (tracked.has(ticket.id)) return;
    tracked.add(ticket.id);
    summary.tickets++;
    summary.ticketsBySource[ticket.source] = (summary.ticketsBySource[ticket.source] ?? 0) + 1;
  };

  /** The ticket as it is now (the SLA jobs or another step may have moved it since). */
  const current = async (id: string) => store.tickets.get(id);

  async function workTicket(work: TicketWork): Promise<void> {
    const opened = await current(work.ticketId);
    if (!opened) return;
    noteTicket(opened);
    const targets = SLA_TARGETS[opened.priority];
    const created = sim.now();
    const agent = opened.assigneeId ?? work.agentId;
    // Picked up within the first-response target mostly; now and then it waits too long.
    const pickup = work.firstReplied
      ? created
      : afterWorkingMinutes(
          created,
          Math.min(rand.tail(targets.firstResponse * 0.35), targets.firstResponse * 4),
        );
    // Solved within the resolution target mostly; one in ten takes far longer.
    const resolution = rand.odds(0.1)
      ? targets.resolution * rand.between(1.1, 2.5)
      : Math.min(rand.tail(targets.resolution * 0.3), targets.resolution * 3);
    const solveAt = Math.max(afterWorkingMinutes(created, resolution), pickup + 5 * MINUTE);

    sim.later(pickup, async () => {
      const t = await current(work.ticketId);
      if (!t || t.status === 'solved' || t.status === 'closed') return;
      if (work.refileAsComplaint)
        await ctx.commands.tickets.update(workspaceId, {
          ticketId: t.id,
          category: CATEGORY_OF.complaint,
          priority: 'high',
          actor: user(agent),
        });
      if (!t.assigneeId)
        await ctx.commands.tickets.assign(workspaceId, {
          ticketId: t.id,
          assigneeId: agent,
          actor: user(agent),
        });
      // A conversation still waiting for a person (the bot handed it off) is the agent's now.
      const conversation = t.conversationId ? await store.conversations.get(t.conversationId) : null;
      if (work.inConversation && conversation?.handedOff && !conversation.assigneeId)
        await ctx.commands.assignConversation(workspaceId, {
          conversationId: conversation.id,
          assigneeId: agent,
          actor: shop.actor,
        });
      if (work.inConversation && !work.firstReplied && t.conversationId)
        await ctx.commands.tickets.comment(workspaceId, {
          ticketId: t.id,
          body: rand.pick(work.customer?.channel === 'email' ? EMAIL_ACKNOWLEDGEMENTS : TICKET_FIRST_REPLIES),
          visibility: 'public',
          actor: user(agent),
        });
      else if (work.followUp)
        await ctx.commands.tickets.comment(workspaceId, {
          ticketId: t.id,
          body: TICKET_NOTES.followUp,
          visibility: 'internal',
          actor: user(agent),
        });
      // Waiting on the carrier for a while: the ticket is pending on a third party.
      if (work.topic === 'order' && rand.odds(0.3) && solveAt - sim.now() > 2 * HOUR) {
        sim.later(sim.now() + rand.between(20, 60) * MINUTE, async () => {
          await move(work.ticketId, 'pending', agent, TICKET_NOTES.pendingCarrier);
          sim.later(atWork(solveAt - rand.between(30, 90) * MINUTE), () =>
            move(work.ticketId, 'open', agent, TICKET_NOTES.resumed),
          );
        });
      }
    });

    sim.later(solveAt, async () => {
      const t = await current(work.ticketId);
      if (!t || t.status === 'solved' || t.status === 'closed') return;
      if (work.inConversation && t.conversationId)
        await ctx.commands.tickets.comment(workspaceId, {
          ticketId: t.id,
          body: rand.pick(
            work.customer?.channel === 'email' ? EMAIL_AGENT_REPLIES[work.topic] : AGENT_ANSWERS[work.topic],
          ),
          visibility: 'public',
          actor: user(t.assigneeId ?? agent),
        });
      await move(t.id, 'solved', t.assigneeId ?? agent, rand.pick(TICKET_NOTES.solved));
      summary.ticketsSolved++;
      // A customer kept waiting past the promise answers the survey less kindly.
      const late = (await store.sla.clocks.forTicket(t.id)).some((c) => c.breachedAt !== null);
      const mood = late ? 'poor' : 'good';
      if (work.inConversation && t.conversationId) {
        await ctx.commands.changeConversationStatus(workspaceId, {
          conversationId: t.conversationId,
          status: 'resolved',
        });
        summary.resolved++;
        if (work.customer) await expectSurvey(`conversation:${t.conversationId}`, work.customer, mood);
      }
      if (work.customer) await expectSurvey(`ticket:${t.id}`, work.customer, mood);
      // The customer confirmed on the phone: closed now, which closes the complaint it carries.
      if (work.followUp) await move(t.id, 'closed', t.assigneeId ?? agent, TICKET_NOTES.followUp);
      else if (rand.odds(0.6))
        sim.later(sim.now() + rand.between(2, 4) * 24 * HOUR, () =>
          move(work.ticketId, 'closed', t.assigneeId ?? agent, null),
        );
      if (work.complaintId) closeComplaintLater(work.complaintId);
    });
  }

  async function move(
    ticketId: string,
    status: 'pending' | 'open' | 'solved' | 'closed',
    agentId: string,
    note: string | null,
  ) {
    const t = await current(ticketId);
    if (!t || t.status === status || t.status === 'closed') return;
    if (status === 'open' && t.status !== 'pending') return;
    await ctx.commands.tickets.changeStatus(workspaceId, {
      ticketId,
      status,
      ...(status === 'pending' ? { pendingReason: 'third_party' as const } : {}),
      note,
      actor: user(agentId),
    });
  }

  /** The supervisor closes a complaint once the customer confirms: usually within hours, some days late. */
  function closeComplaintLater(complaintId: string): void {
    if (rand.odds(0.08)) return; // still open when the history ends
    const delay = rand.odds(0.2) ? rand.between(48, 130) * HOUR : rand.tail(3 * HOUR);
    sim.later(atWork(sim.now() + delay), async () => {
      const complaint = await store.complaints.get(complaintId);
      if (complaint?.status !== 'open') return;
      await ctx.surveys.closeComplaint(workspaceId, {
        complaintId,
        resolutionNote: rand.pick(TICKET_NOTES.complaintClosed),
        customerConfirmed: true,
        userId: shop.supervisor,
      });
    });
  }

  /**
   * The survey the product planned for this resolution (if it planned one): once it has gone out, a share
   * of customers answer, on their channel with a digit or on the survey page.
   */
  async function expectSurvey(sourceKey: string, customer: TicketWork['customer'], mood: 'good' | 'poor') {
    const survey = await store.surveys.bySource(sourceKey);
    if (survey?.status !== 'scheduled' || !customer) return;
    const answerAt = Date.parse(survey.dueAt) + rand.tail(40) * MINUTE;
    sim.later(answerAt, async () => {
      const sent = await store.surveys.get(survey.id);
      if (sent?.status !== 'sent') return;
      summary.surveysSent++;
      if (!rand.odds(0.45) || !sent.conversationId || run.rated.has(sent.conversationId)) return;
      run.rated.add(sent.conversationId);
      const score = Number(rand.weighted(mood === 'good' ? GOOD_SCORES : POOR_SCORES));
      const digit = ['widget', 'sms', 'wechat'].includes(customer.channel) && rand.odds(0.75);
      if (digit)
        await run.channels.write(
          customer.channel as TextChannel,
          customer.who,
          String(score),
          `survey:${survey.id}`,
        );
      else {
        const comment =
          score >= 4 && rand.odds(0.35)
            ? rand.pick(SURVEY_COMMENTS_GOOD)
            : score <= 2 && rand.odds(0.6)
              ? rand.pick(SURVEY_COMMENTS_BAD)
              : null;
        await ctx.surveys.answerSurvey(workspaceId, { surveyId: survey.id, score, comment, via: 'page' });
      }
      summary.surveysAnswered++;
      await sim.drain(); // the answer's review: a negative one opens a follow-up ticket and a complaint
      const followUp = await store.tickets.findBySourceKey(`survey:${survey.id}`);
      if (followUp)
        await workTicket({
          ticketId: followUp.id,
          topic: 'complaint',
          agentId: shop.supervisor,
          firstReplied: false,
          inConversation: false,
          followUp: true,
        });
    });
  }

  /** The complaint the product opened for this conversation (the bot handed it off as one). */
  async function complaintOf(conversationId: string): Promise<string | null> {
    const open = await store.complaints.list({ status: 'open', limit: 1000 });
    return open.find((c) => c.conversationId === conversationId)?.id ?? null;
  }

  return { workTicket, expectSurvey, complaintOf, closeComplaintLater, noteTicket };
}

/** Survey scores: most customers are content; kept waiting past the promise, fewer are. */
export const GOOD_SCORES = { '5': 56, '4': 30, '3': 8, '2': 4, '1': 2 } as const;
export const POOR_SCORES = { '5': 12, '4': 26, '3': 30, '2': 18, '1': 14 } as const;

export type FollowUps = ReturnType<typeof followUpsOf>;

// One customer contact in writing — web chat, API, WeChat, SMS or e-mail — from the first message to its
// end: the bot answers, runs the refund form (a ticket from the bot) or hands off; an agent picks up after
// a wait with a long tail, answers and resolves, opening a ticket for some (every complaint); e-mails
// become tickets the agents answer by mail; resolutions are surveyed (the API channel's shop rates in
// the chat instead).
import type { Customer, TextChannel } from './cast.ts';
import { COMPLAINT_CATEGORY } from './demoShop.ts';
import { type FollowUps, GOOD_SCORES, POOR_SCORES } from './followUps.ts';
import {
  AGENT_ANSWERS,
  AGENT_ANSWERS_WITHOUT_TIME_LIMIT,
  AGENT_CLOSINGS,
  AGENT_OPENINGS,
  AGENT_OPENINGS_CURT,
  CATEGORY_OF,
  COMPLAINT_REPLIES_FROM_CUSTOMER,
  COMPLAINTS,
  CONFIRM,
  CUSTOMER_FOLLOW_UPS,
  CUSTOMER_THANKS,
  CUSTOMER_WHILE_WAITING,
  EMAIL_FOLLOW_UPS,
  EMAILS,
  REFUND_OPENINGS,
  REFUND_REASONS,
  SKIP_PHOTO,
  TICKET_FIRST_REPLIES,
  type Topic,
  topicOfIntent,
} from './lines.ts';
import { meet, type Run } from './run.ts';
import { atWork } from './simulation.ts';

const DEMO_ORDERS = ['ZK20261125001', 'ZK20261125002', 'ZK20261125003'];
const HOUR = 3_600_000;

export async function chatContact(
  run: Run,
  followUps: FollowUps,
  channel: TextChannel,
  who: Customer,
  start: number,
): Promise<void> {
  const { sim, shop, channels, summary } = run;
  const { ctx, workspaceId, store, rand } = sim;
  if (channel === 'widget') await channels.signIn(who);
  const story = rand.weighted({ question: 84.5, handoff: 2, outOfScope: 6, complaint: 3, refund: 4.5 });
  let turn = 0;
  const say = async (text: string) => {
    const written = await channels.write(channel, who, text, `demo-history:${start}:${who.n}:${++turn}`);
    summary.messages++;
    meet(run, written.conversationId, channel);
    return written;
  };
  const firstText =
    story === 'complaint'
      ? rand.pick(COMPLAINTS)
      : story === 'refund'
        ? rand.pick(REFUND_OPENINGS)
        : story === 'outOfScope'
          ? rand.pick(run.outOfScope)
          : story === 'handoff'
            ? '转人工'
            : rand.pick(run.questions);
  const { conversationId } = await say(firstText);
  sim.advance(rand.between(0.4, 2.5)); // the bot thinks
  await sim.drain();
  let conversation = await store.conversations.get(conversationId);
  if (!conversation) return;

  if (story === 'refund' && !conversation.handedOff) {
    // The bot's refund form: the order, a reason, no photo, confirmed — the bot files the ticket.
    for (const answer of [rand.pick(DEMO_ORDERS), rand.pick(REFUND_REASONS), SKIP_PHOTO, CONFIRM]) {
      sim.advance(rand.between(6, 40));
      await say(answer);
      sim.advance(rand.between(0.4, 2));
      await sim.drain();
    }
    const filed = (await store.tickets.list({ conversationId, limit: 5 })).find((t) => t.source === 'bot');
    // The conversation stays open until the agent who reviews the request answers and resolves it.
    if (filed)
      return followUps.workTicket({
        ticketId: filed.id,
        topic: 'aftersale',
        agentId: rand.pick(shop.agents),
        firstReplied: false,
        inConversation: true,
        customer: { who, channel },
      });
    conversation = await store.conversations.get(conversationId);
    if (!conversation) return;
  } else if (!conversation.handedOff && rand.odds(0.45)) {
    sim.advance(rand.between(8, 60));
    await say(rand.pick(CUSTOMER_FOLLOW_UPS));
    sim.advance(rand.between(0.4, 2));
    await sim.drain();
    conversation = await store.conversations.get(conversationId);
    if (!conversation) return;
  }

  let mood: 'good' | 'poor' = 'good';
  if (conversation.handedOff) {
    const topic: Topic =
      story === 'complaint' ? 'complaint' : topicOfIntent(await store.botTurns.firstTarget(conversationId));
    const complaint = topic === 'complaint';
    if (complaint) mood = 'poor';
    // Urgent conversations jump the queue; the supervisor takes complaints.
    const agent = complaint ? shop.supervisor : rand.pick(shop.agents);
    sim.advance(rand.tail(complaint ? 12 : 25));
    await ctx.commands.assignConversation(workspaceId, {
      conversationId,
      assigneeId: agent,
      actor: shop.actor,
    });
    sim.advance(rand.between(4, 40));
    const reply = (text: string) => {
      summary.messages++;
      return ctx.commands.replyAsAgent(workspaceId, { conversationId, agentId: agent, text });
    };
    await reply(rand.odds(0.05) ? rand.pick(AGENT_OPENINGS_CURT) : rand.pick(AGENT_OPENINGS[topic]));
    if (rand.odds(0.35)) {
      sim.advance(rand.between(5, 30));
      await say(rand.pick(complaint ? COMPLAINT_REPLIES_FROM_CUSTOMER : CUSTOMER_WHILE_WAITING));
    }
    let ticketId: string | null = null;
    if (complaint || rand.odds(0.15)) {
      sim.advance(rand.between(30, 120));
      const opened = await ctx.commands.tickets.open(workspaceId, {
        subject: `${CATEGORY_OF[topic]}：${firstText}`.slice(0, 60),
        description: firstText,
        category: complaint ? COMPLAINT_CATEGORY : CATEGORY_OF[topic],
        priority: complaint ? conversation.priority : rand.pick(['low', 'normal', 'normal', 'high'] as const),
        conversationId,
        source: 'agent',
        actor: { type: 'user', id: agent },
      });
      ticketId = opened.ticket.id;
      followUps.noteTicket(opened.ticket);
      // The ticket's first response, in the conversation the customer is reading.
      summary.messages++;
      await ctx.commands.tickets.comment(workspaceId, {
        ticketId,
        body: rand.pick(TICKET_FIRST_REPLIES),
        visibility: 'public',
        actor: { type: 'user', id: agent },
      });
    }
    sim.advance(rand.tail(240));
    const withoutTimeLimit = topic === 'aftersale' && rand.odds(0.1);
    await reply(
      withoutTimeLimit ? rand.pick(AGENT_ANSWERS_WITHOUT_TIME_LIMIT) : rand.pick(AGENT_ANSWERS[topic]),
    );
    if (rand.odds(0.5)) {
      sim.advance(rand.between(10, 60));
      await say(rand.pick(CUSTOMER_THANKS));
    }
    if (rand.odds(0.85)) {
      sim.advance(rand.between(5, 40));
      await reply(rand.pick(AGENT_CLOSINGS));
    }
    sim.advance(rand.between(20, 120));
    await ctx.commands.changeConversationStatus(workspaceId, { conversationId, status: 'resolved' });
    summary.handedOff++;
    summary.resolved++;
    const complaintId = complaint ? await followUps.complaintOf(conversationId) : null;
    if (ticketId)
      await followUps.workTicket({
        ticketId,
        topic,
        agentId: agent,
        firstReplied: true,
        inConversation: false,
        customer: { who, channel },
        complaintId,
      });
    else if (complaintId) followUps.closeComplaintLater(complaintId);
  } else {
    sim.advance(rand.between(30, 180));
    // Most conversations end resolved; some customers just leave (the conversation stays open).
    if (!rand.odds(0.8)) return;
    await ctx.commands.changeConversationStatus(workspaceId, { conversationId, status: 'resolved' });
    summary.resolved++;
  }
  if (channel === 'api') {
    // The API shop asks for a rating in its own app and posts it (POST /conversations/:id/csat).
    if (!rand.odds(0.3) || run.rated.has(conversationId)) return;
    run.rated.add(conversationId);
    const score = Number(rand.weighted(mood === 'good' ? GOOD_SCORES : POOR_SCORES));
    await ctx.commands.rateConversation(workspaceId, { conversationId, score });
    summary.rated++;
  } else await followUps.expectSurvey(`conversation:${conversationId}`, { who, channel }, mood);
}

export async function emailContact(run: Run, followUps: FollowUps, who: Customer, start: number) {
  const { sim, shop, channels, summary } = run;
  const { store, rand } = sim;
  const letter = rand.pick(EMAILS);
  const order = rand.pick(DEMO_ORDERS);
  const domain = who.email.split('@')[1] ?? 'example.com';
  const firstId = `${start.toString(36)}.${who.n}@${domain}`;
  const { conversationId } = await channels.mail(who, {
    subject: letter.subject.replaceAll('{order}', order),
    body: letter.body.replaceAll('{order}', order),
    messageId: firstId,
  });
  summary.messages++;
  meet(run, conversationId, 'email');
  sim.advance(rand.between(1, 4)); // the bot answers by mail, the inbox files the thread as a ticket
  await sim.drain();
  const ticket = (await store.tickets.list({ conversationId, limit: 5 }))[0];
  if (!ticket) return;
  const complaint = letter.topic === 'complaint';
  await followUps.workTicket({
    ticketId: ticket.id,
    topic: letter.topic,
    agentId: complaint ? shop.supervisor : rand.pick(shop.agents),
    firstReplied: false,
    inConversation: true,
    customer: { who, channel: 'email' },
    complaintId: complaint ? await followUps.complaintOf(conversationId) : null,
    refileAsComplaint: complaint,
  });
  // Some customers write again in the thread while it is being handled.
  if (!rand.odds(0.4)) return;
  sim.later(atWork(sim.now() + rand.tail(3) * HOUR), async () => {
    const open = await store.conversations.get(conversationId);
    if (!open || open.status === 'resolved') return;
    await channels.mail(who, {
      subject: `Re: ${letter.subject.replaceAll('{order}', order)}`,
      body: `${rand.pick(EMAIL_FOLLOW_UPS)}\n\n在 ${new Date(start).toISOString().slice(0, 10)}，演示小店客服 写道：\n> 您好，您的邮件已收到。`,
      messageId: `${sim.now().toString(36)}.re.${who.n}@${domain}`,
      replyTo: firstId,
    });
    summary.messages++;
  });
}

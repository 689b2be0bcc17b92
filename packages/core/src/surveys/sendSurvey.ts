// A survey's time came (the `survey.send` job): post the invitation into the conversation it asks about,
// so it leaves on the customer's own channel through that channel's outbox (SMS, email, WeChat, API
// webhook; the widget renders it as a rating card). The message, the survey's move to sent and the hash
// of its link's token commit together: a job that runs twice sends once.

import { postOutgoingMessage } from '../conversations/postOutgoingMessage.ts';
import type { DomainEvent } from '../events.ts';
import type { UseCaseDeps } from '../ports.ts';
import { surveyInvitation } from './surveyText.ts';

export interface SurveyLinks {
  /** A fresh unguessable token and the hash the store keeps of it. */
  issue(): { token: string; tokenHash: string };
  /** The public page of the token (short: it goes into an SMS). */
  url(token: string): string;
}

export interface SendSurveyOutput {
  sent: boolean;
  events: DomainEvent[];
}

export async function sendSurvey(
  deps: UseCaseDeps & { links: SurveyLinks },
  input: { surveyId: string },
): Promise<SendSurveyOutput> {
  return deps.store.transaction(async (tx) => {
    const survey = await tx.surveys.get(input.surveyId);
    if (survey?.status !== 'scheduled') return { sent: false, events: [] };
    const now = deps.clock.now();
    const conversation = survey.conversationId ? await tx.conversations.get(survey.conversationId) : null;
    const inbox = conversation ? await tx.inboxes.get(conversation.inboxId) : null;
    if (!conversation || !inbox || (inbox.adapter !== null && !inbox.enabled)) {
      await tx.surveys.markSkipped(survey.id, 'no_channel', now.toISOString());
      return { sent: false, events: [] };
    }
    const settings = await tx.surveys.settings();
    const workspace = await tx.workspace.get();
    const { token, tokenHash } = deps.links.issue();
    const posted = await postOutgoingMessage(deps, tx, conversation, inbox, {
      author: 'system',
      authorUserId: null,
      text: surveyInvitation(workspace.locale, conversation.channel, workspace.name, deps.links.url(token)),
      idempotencyKey: `survey:${survey.id}`,
      metadata: { survey: { id: survey.id } },
    });
    const expiresAt = new Date(now.getTime() + settings.linkTtlHours * 3_600_000).toISOString();
    const moved = await tx.surveys.markSent(survey.id, {
      sentAt: now.toISOString(),
      expiresAt,
      messageId: posted.message.id,
      tokenHash,
    });
    if (!moved) throw new Error('survey changed while being sent');
    return {
      sent: true,
      events: [
        posted.event,
        {
          name: 'survey.sent',
          workspaceId: deps.store.workspaceId,
          occurredAt: now.toISOString(),
          surveyId: survey.id,
        },
      ],
    };
  });
}

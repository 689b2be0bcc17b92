// A conversation was resolved (or a ticket solved): plan its follow-up survey. The survey is due after
// the workspace's delay, pushed past its quiet hours; a customer surveyed in the last N days, one who
// cannot be reached on the channel or who withdrew consent for it gets none (the row says why).
// Idempotent per source: a second resolution of the same conversation plans nothing new.
import { quietEndsAt } from '../campaigns/quietHours.ts';
import type { DomainEvent } from '../events.ts';
import type { JobPayloads } from '../jobs.ts';
import type { ChannelType, Conversation, Inbox } from '../model.ts';
import { UniqueViolation, type UseCaseDeps, type WorkspaceRepositories } from '../ports.ts';
import { consentVerdict } from '../privacy/mayContact.ts';
import type { ConsentPurpose } from '../privacy/privacy.ts';
import type { NewSurvey, SurveySettings, SurveySkipReason, SurveyTrigger } from './surveys.ts';

export interface ScheduleSurveyInput {
  trigger: SurveyTrigger;
  /** The conversation asked about (for a ticket, the conversation it came from, if any). */
  conversationId: string | null;
  ticketId: string | null;
  customerId: string | null;
  /** When it was resolved or solved; the delay counts from here. */
  resolvedAt: string;
}

export interface ScheduleSurveyOutput {
  surveyId: string | null;
  status: 'scheduled' | 'skipped' | 'exists' | 'disabled';
  skipReason: SurveySkipReason | null;
  dueAt: string | null;
  events: DomainEvent[];
}

/** The consent whose withdrawal stops surveys on the channel (never asked is fine: it is service). */
const consentOf: Partial<Record<ChannelType, ConsentPurpose>> = {
  sms: 'marketing_sms',
  email: 'marketing_email',
  wechat: 'marketing_wechat',
  voice: 'marketing_call',
};

/** Whether a message posted into the conversation reaches the customer. */
function reachable(conversation: Conversation, inbox: Inbox | null): boolean {
  if (!inbox) return false;
  switch (conversation.channel) {
    case 'widget':
      return true;
    case 'api':
      return inbox.webhookUrl !== null;
    case 'voice':
      return false;
    default:
      return inbox.adapter !== null && inbox.enabled;
  }
}

export function surveyDueAt(resolvedAt: string, settings: SurveySettings): Date {
  const due = new Date(new Date(resolvedAt).getTime() + settings.delayMinutes * 60_000);
  return quietEndsAt(due, settings.quietHours, settings.timeZone);
}

async function skipReasonFor(
  tx: WorkspaceRepositories,
  settings: SurveySettings,
  conversation: Conversation | null,
  customerId: string,
  now: Date,
): Promise<SurveySkipReason | null> {
  const customer = await tx.customers.get(customerId);
  if (!customer) return 'unknown_customer';
  const last = await tx.surveys.lastSurveyedAt(customer.id);
  if (last && now.getTime() - new Date(last).getTime() < settings.minDaysBetween * 86_400_000)
    return 'recently_surveyed';
  if (!conversation) return 'no_channel';
  if (conversation.channel === 'voice') return 'channel_unsupported';
  if (!reachable(conversation, await tx.inboxes.get(conversation.inboxId))) return 'no_channel';
  const purpose = consentOf[conversation.channel];
  if (purpose) {
    const verdict = consentVerdict(await tx.privacy.consents(customer.id), purpose);
    if (!verdict.allowed && verdict.reason === 'withdrawn') return 'consent_withdrawn';
  }
  return null;
}

export async function scheduleSurvey(
  deps: UseCaseDeps,
  input: ScheduleSurveyInput,
): Promise<ScheduleSurveyOutput> {
  const settings = await deps.store.surveys.settings();
  const none = { surveyId: null, skipReason: null, dueAt: null, events: [] };
  if (!settings.enabled) return { ...none, status: 'disabled' };
  const sourceKey =
    input.trigger === 'ticket' ? `ticket:${input.ticketId}` : `conversation:${input.conversationId}`;
  try {
    return await deps.store.transaction(async (tx) => {
      if (await tx.surveys.bySource(sourceKey)) return { ...none, status: 'exists' as const };
      const conversation = input.conversationId ? await tx.conversations.get(input.conversationId) : null;
      const customerId = input.customerId ?? conversation?.customerId ?? null;
      if (!customerId)
        return { ...none, status: 'skipped' as const, skipReason: 'unknown_customer' as const };
      await tx.customers.lock(customerId);
      const now = deps.clock.now();
      const skipReason = await skipReasonFor(tx, settings, conversation, customerId, now);
      const due = surveyDueAt(input.resolvedAt, settings);
      const dueAt = (due.getTime() < now.getTime() ? now : due).toISOString();
      const survey: NewSurvey = {
        id: deps.newId(),
        sourceKey,
        customerId,
        conversationId: conversation?.id ?? null,
        ticketId: input.ticketId,
        trigger: input.trigger,
        channel: conversation?.channel ?? null,
        inboxId: conversation?.inboxId ?? null,
        status: skipReason ? 'skipped' : 'scheduled',
        skipReason,
        dueAt,
        createdAt: now.toISOString(),
      };
      if (!(await tx.surveys.create(survey))) return { ...none, status: 'exists' as const };
      if (skipReason) return { ...none, surveyId: survey.id, status: 'skipped' as const, skipReason };
      const payload: JobPayloads['survey.send'] = {
        workspaceId: deps.store.workspaceId,
        surveyId: survey.id,
      };
      await tx.jobs.enqueue({
        name: 'survey.send',
        payload: { ...payload },
        runAt: dueAt,
        idempotencyKey: `survey:${survey.id}`,
      });
      return {
        surveyId: survey.id,
        status: 'scheduled' as const,
        skipReason: null,
        dueAt,
        events: [],
      };
    });
  } catch (error) {
    // Two processes heard the same resolution: the unique source key let one plan it.
    if (error instanceof UniqueViolation) return { ...none, status: 'exists' };
    throw error;
  }
}

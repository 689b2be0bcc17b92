// Creates a campaign in draft with its targets: customers (their phone on file) and/or typed numbers,
// each normalised, duplicates dropped; the voice line must be a voice inbox of the workspace.
import { normalisePhoneNumber } from '../customers/normaliseIdentity.ts';
import { DomainError, notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import {
  CAMPAIGN_LIMITS,
  type Campaign,
  type CampaignKind,
  type CampaignPurpose,
  type QuietHours,
} from './campaign.ts';
import { isTimeOfDay } from './quietHours.ts';
import type { NewCampaignTarget } from './repository.ts';

export interface CreateCampaignInput {
  name: string;
  kind: CampaignKind;
  purpose: CampaignPurpose;
  inboxId: string;
  script: string;
  language: string;
  timeZone: string;
  quietHours: QuietHours | null;
  callsPerMinute: number;
  maxConcurrent: number;
  maxAttempts: number;
  retryDelayMinutes: number;
  /** Customers to call on the phone on file; a survey may name the conversation it asks about. */
  customers: { customerId: string; conversationId?: string | null }[];
  /** Numbers typed or imported (no customer record needed). */
  phones: string[];
  createdBy: string;
}

const invalid = (message: string) => new DomainError('validation_failed', message);

const validZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export async function createCampaign(
  deps: UseCaseDeps,
  input: CreateCampaignInput,
): Promise<{ campaign: Campaign; targets: number; invalidPhones: string[] }> {
  const name = input.name.trim();
  const script = input.script.trim();
  if (!name) throw invalid('name is required');
  if (!script) throw invalid('script is required');
  if ([...script].length > CAMPAIGN_LIMITS.scriptLength)
    throw invalid(`script must be at most ${CAMPAIGN_LIMITS.scriptLength} characters`);
  if (!validZone(input.timeZone)) throw invalid('timeZone is not an IANA time zone');
  if (input.quietHours && !(isTimeOfDay(input.quietHours.start) && isTimeOfDay(input.quietHours.end)))
    throw invalid('quiet hours are "HH:MM" times');
  const within = (value: number, min: number, max: number) =>
    Number.isInteger(value) && value >= min && value <= max;
  if (!within(input.callsPerMinute, 1, CAMPAIGN_LIMITS.maxCallsPerMinute))
    throw invalid(`callsPerMinute must be 1–${CAMPAIGN_LIMITS.maxCallsPerMinute}`);
  if (!within(input.maxConcurrent, 1, CAMPAIGN_LIMITS.maxConcurrent))
    throw invalid(`maxConcurrent must be 1–${CAMPAIGN_LIMITS.maxConcurrent}`);
  if (!within(input.maxAttempts, 1, CAMPAIGN_LIMITS.maxAttempts))
    throw invalid(`maxAttempts must be 1–${CAMPAIGN_LIMITS.maxAttempts}`);
  if (!within(input.retryDelayMinutes, 1, 24 * 60)) throw invalid('retryDelayMinutes must be 1–1440');

  const inbox = await deps.store.inboxes.get(input.inboxId);
  if (!inbox) throw notFound('inbox');
  if (inbox.channel !== 'voice') throw invalid('the inbox is not a voice line');

  const seen = new Set<string>();
  const targets: NewCampaignTarget[] = [];
  const invalidPhones: string[] = [];
  const add = (phone: string, customerId: string | null, conversationId: string | null) => {
    if (seen.has(phone)) return;
    seen.add(phone);
    targets.push({ id: deps.newId(), customerId, conversationId, phone });
  };
  for (const entry of input.customers) {
    const customer = await deps.store.customers.get(entry.customerId);
    if (!customer) throw notFound(`customer ${entry.customerId}`);
    if (!customer.phone) {
      invalidPhones.push(`customer:${customer.id}`);
      continue;
    }
    try {
      add(normalisePhoneNumber(customer.phone), customer.id, entry.conversationId ?? null);
    } catch {
      invalidPhones.push(`customer:${customer.id}`);
    }
  }
  for (const raw of input.phones) {
    try {
      add(normalisePhoneNumber(raw), null, null);
    } catch {
      invalidPhones.push(raw);
    }
  }
  if (targets.length === 0) throw invalid('no callable number among the targets');
  if (targets.length > CAMPAIGN_LIMITS.maxTargets)
    throw invalid(`a campaign calls at most ${CAMPAIGN_LIMITS.maxTargets} numbers`);

  const campaign: Campaign = {
    id: deps.newId(),
    workspaceId: deps.store.workspaceId,
    name,
    kind: input.kind,
    purpose: input.purpose,
    inboxId: inbox.id,
    script,
    language: input.language,
    timeZone: input.timeZone,
    quietHours: input.quietHours,
    callsPerMinute: input.callsPerMinute,
    maxConcurrent: input.maxConcurrent,
    maxAttempts: input.maxAttempts,
    retryDelayMinutes: input.retryDelayMinutes,
    status: 'draft',
    createdBy: input.createdBy,
    createdAt: deps.clock.now().toISOString(),
    startedAt: null,
    finishedAt: null,
  };
  await deps.store.campaigns.create(campaign, targets);
  return { campaign, targets: targets.length, invalidPhones };
}

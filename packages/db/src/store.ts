// The one place tenant scoping happens: a WorkspaceStore can only ever see its own workspace's rows.
import { UniqueViolation, type WorkspaceRepositories, type WorkspaceStore } from '@zhike/core';
import type { Kysely } from 'kysely';
import { constraintOf, type Dialect, isTransientConflict, isUniqueViolation } from './connect.ts';
import type { CodecProvider, CustomerKeys, PersonalDataCodec } from './personalData.ts';
import { agentMetricsRepository } from './repositories/agentMetrics.ts';
import { assistRepository } from './repositories/assist.ts';
import { assistSettingsRepository } from './repositories/assistSettings.ts';
import { auditTrailRepository } from './repositories/auditTrail.ts';
import {
  botSettingsRepository,
  botStatesRepository,
  callbacksRepository,
  ordersRepository,
} from './repositories/bot.ts';
import { botTurnsRepository } from './repositories/botTurns.ts';
import { campaignsRepository } from './repositories/campaigns.ts';
import { channelsRepository } from './repositories/channels.ts';
import { complaintsRepository } from './repositories/complaints.ts';
import { connectorsRepository } from './repositories/connectors.ts';
import { conversationsRepository } from './repositories/conversations.ts';
import { costsRepository } from './repositories/costs.ts';
import { customerNotesRepository, handoffCardsRepository } from './repositories/customer360.ts';
import { customerMergesRepository } from './repositories/customerMerges.ts';
import { customersRepository } from './repositories/customers.ts';
import { dialogueRepository } from './repositories/dialogue.ts';
import { intakeRepository } from './repositories/intake.ts';
import { knowledgeRepository } from './repositories/knowledge.ts';
import { kpiTargetsRepository } from './repositories/kpiTargets.ts';
import { languagesRepository } from './repositories/languages.ts';
import { messagesRepository } from './repositories/messages.ts';
import { metricRollupsRepository } from './repositories/metricRollups.ts';
import { outreachRepository } from './repositories/outreach.ts';
import { attachmentsRepository, privacyRepository } from './repositories/privacy.ts';
import { qualityRepository } from './repositories/quality.ts';
import {
  agentsRepository,
  offersRepository,
  queuesRepository,
  queueWaitsRepository,
} from './repositories/queues.ts';
import { replyTemplatesRepository } from './repositories/replyTemplates.ts';
import { reviewMailRepository } from './repositories/reviewMail.ts';
import { customerProfilesRepository, routingRepository } from './repositories/routing.ts';
import type { Scope } from './repositories/scope.ts';
import { setupRepository } from './repositories/setup.ts';
import { slaRepository } from './repositories/sla.ts';
import { surveysRepository } from './repositories/surveys.ts';
import { ticketsRepository } from './repositories/tickets.ts';
import { topicSourcesRepository } from './repositories/topicSources.ts';
import { voiceRepository } from './repositories/voice.ts';
import {
  apiKeysRepository,
  faqsRepository,
  inboxesRepository,
  jobsEnqueuer,
  usersRepository,
  workspaceRepository,
} from './repositories/workspace.ts';
import type { DB } from './schema.ts';

/** Runs of one transaction when PostgreSQL rolls it back to break a deadlock. */
const TRANSACTION_ATTEMPTS = 4;
export interface StoreContext {
  kysely: Kysely<DB>;
  dialect: Dialect;
  codecs: CodecProvider;
  customerKeys: CustomerKeys;
  newId: () => string;
  jobMaxAttempts: number;
}

function repositories(scope: Scope, ctx: StoreContext): WorkspaceRepositories {
  return {
    workspace: workspaceRepository(scope),
    users: usersRepository(scope),
    inboxes: inboxesRepository(scope),
    customers: customersRepository(scope),
    customerMerges: customerMergesRepository(scope),
    conversations: conversationsRepository(scope),
    messages: messagesRepository(scope),
    jobs: jobsEnqueuer(scope, ctx.newId, ctx.jobMaxAttempts),
    intake: intakeRepository(scope),
    faqs: faqsRepository(scope),
    apiKeys: apiKeysRepository(scope),
    orders: ordersRepository(scope),
    tickets: ticketsRepository(scope),
    callbacks: callbacksRepository(scope),
    botStates: botStatesRepository(scope),
    botSettings: botSettingsRepository(scope),
    privacy: privacyRepository(scope),
    attachments: attachmentsRepository(scope),
    channels: channelsRepository(scope),
    botTurns: botTurnsRepository(scope),
    knowledge: knowledgeRepository(scope),
    connectors: connectorsRepository(scope),
    setup: setupRepository(scope),
    dialogue: dialogueRepository(scope),
    auditTrail: auditTrailRepository(scope),
    routing: routingRepository(scope),
    customerProfiles: customerProfilesRepository(scope),
    queues: queuesRepository(scope),
    agents: agentsRepository(scope),
    offers: offersRepository(scope),
    queueWaits: queueWaitsRepository(scope),
    replyTemplates: replyTemplatesRepository(scope),
    assist: assistRepository(scope),
    agentMetrics: agentMetricsRepository(scope),
    customerNotes: customerNotesRepository(scope),
    handoffCards: handoffCardsRepository(scope),
    voice: voiceRepository(scope),
    languages: languagesRepository(scope),
    costs: costsRepository(scope),
    metricRollups: metricRollupsRepository(scope),
    topicSources: topicSourcesRepository(scope),
    quality: qualityRepository(scope),
    reviewMail: reviewMailRepository(scope),
    assistSettings: assistSettingsRepository(scope),
    kpiTargets: kpiTargetsRepository(scope),
    campaigns: campaignsRepository(scope),
    sla: slaRepository(scope),
    surveys: surveysRepository(scope),
    complaints: complaintsRepository(scope),
    outreach: outreachRepository(scope),
  };
}

export function translateUniqueViolation(error: unknown): unknown {
  return isUniqueViolation(error) ? new UniqueViolation(constraintOf(error)) : error;
}

export function createWorkspaceStore(ctx: StoreContext, workspaceId: string): WorkspaceStore {
  if (!workspaceId) throw new Error('a workspace id is required');
  let codec: Promise<PersonalDataCodec> | null = null;
  const base: Scope = {
    db: ctx.kysely,
    workspaceId,
    dialect: ctx.dialect,
    newId: ctx.newId,
    codec: () => {
      codec ??= ctx.codecs(workspaceId).catch((error: unknown) => {
        codec = null; // a failed key load is retried on the next use
        throw error;
      });
      return codec;
    },
    customerCodec: (customerId) => ctx.customerKeys.codec(workspaceId, customerId, ctx.kysely),
    destroyCustomerKeys: (customerId) => ctx.customerKeys.destroy(workspaceId, customerId),
  };
  return {
    workspaceId,
    ...repositories(base, ctx),
    async transaction(fn) {
      // Load keys before the transaction: on SQLite a key query issued inside it would wait for the
      // single connection the transaction holds.
      await base.codec();
      for (let attempt = 1; ; attempt++) {
        try {
          return await ctx.kysely.transaction().execute((trx) =>
            fn(
              repositories(
                {
                  ...base,
                  db: trx,
                  customerCodec: (customerId) => ctx.customerKeys.codec(workspaceId, customerId, trx),
                },
                ctx,
              ),
            ),
          );
        } catch (error) {
          // PostgreSQL broke a deadlock (or a serialisation conflict) by rolling this transaction back:
          // nothing of it was kept, so it runs again, after a short random pause that lets the other
          // side finish. Use cases return their events rather than emitting them, so a rerun is clean.
          if (attempt < TRANSACTION_ATTEMPTS && isTransientConflict(error)) {
            await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
            continue;
          }
          throw translateUniqueViolation(error);
        }
      }
    },
  };
}

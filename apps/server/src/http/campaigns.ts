// Outbound call campaigns (issue 9): admins create a survey or notification campaign (customers and/or
// typed numbers), start, pause, resume and cancel it; supervisors follow progress and each target's
// result; the do-not-call list is kept here too. Phone numbers are masked in every answer.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CampaignBody,
  CampaignCreated,
  CampaignList,
  CampaignTargetList,
  CampaignTargetQuery,
  type CampaignTargetView,
  type CampaignView,
  CampaignView as CampaignViewSchema,
  DoNotCallBody,
  DoNotCallEntry,
  DoNotCallList,
  IdParams,
} from '@zhike/contracts';
import {
  type Campaign,
  type CampaignStatus,
  type CampaignTarget,
  createCampaign,
  normalisePhoneNumber,
  type WorkspaceStore,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { maskedPii } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['campaigns'];
const masked = (phone: string) => maskedPii.phone(phone) ?? '';

const campaignView = async (store: WorkspaceStore, c: Campaign): Promise<CampaignView> => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  purpose: c.purpose,
  inboxId: c.inboxId,
  script: c.script,
  language: c.language,
  timeZone: c.timeZone,
  quietHours: c.quietHours,
  callsPerMinute: c.callsPerMinute,
  maxConcurrent: c.maxConcurrent,
  maxAttempts: c.maxAttempts,
  retryDelayMinutes: c.retryDelayMinutes,
  status: c.status,
  createdBy: c.createdBy,
  createdAt: c.createdAt,
  startedAt: c.startedAt,
  finishedAt: c.finishedAt,
  progress: await store.campaigns.progress(c.id),
});

const targetView = (t: CampaignTarget): CampaignTargetView => ({
  id: t.id,
  customerId: t.customerId,
  conversationId: t.conversationId,
  phone: masked(t.phone),
  status: t.status,
  skipReason: t.skipReason,
  attempts: t.attempts,
  nextAttemptAt: t.nextAttemptAt,
  lastOutcome: t.lastOutcome,
  score: t.result?.score ?? null,
  heard: t.result?.heard ?? null,
  answer: t.result?.answer ?? null,
  callId: t.callId,
  updatedAt: t.updatedAt,
});

/** Which statuses each action moves a campaign from. */
const transitions: Record<'start' | 'pause' | 'cancel', { from: CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ['draft', 'paused'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  cancel: { from: ['draft', 'running', 'paused'], to: 'cancelled' },
};

export const campaignRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (principal: Principal) => ctx.db.forWorkspace(principal.workspaceId);
    const now = () => ctx.clock.now().toISOString();
    const audit = (principal: Principal, change: string, id: string) =>
      recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'campaign', id },
        details: { setting: 'campaigns', change },
      });
    const found = async (store: WorkspaceStore, id: string) => {
      const campaign = await store.campaigns.get(id);
      if (!campaign) throw new HttpProblem('not_found', 'No such campaign');
      return campaign;
    };

    app.get(
      '/api/v1/campaigns',
      {
        config: { auth: 'session', permission: 'campaigns.read' },
        schema: {
          tags,
          summary: 'Campaigns, newest first, with progress',
          response: { 200: CampaignList, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const list = await store.campaigns.list({ limit: 100 });
        return { campaigns: await Promise.all(list.map((c) => campaignView(store, c))) };
      },
    );

    app.post(
      '/api/v1/campaigns',
      {
        config: { auth: 'session', permission: 'campaigns.manage' },
        schema: {
          tags,
          summary: 'Create a campaign in draft (customers are called on the phone on file)',
          body: CampaignBody,
          response: { 201: CampaignCreated, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const created = await createCampaign(
          { store, clock: ctx.clock, newId: ctx.newId },
          { ...request.body, createdBy: actorOf(principal).id },
        );
        await audit(principal, 'created', created.campaign.id);
        reply.code(201);
        return {
          campaign: await campaignView(store, created.campaign),
          invalidPhones: created.invalidPhones,
        };
      },
    );

    app.get(
      '/api/v1/campaigns/:id',
      {
        config: { auth: 'session', permission: 'campaigns.read' },
        schema: {
          tags,
          summary: 'One campaign with progress',
          params: IdParams,
          response: { 200: Type.Object({ campaign: CampaignViewSchema }), ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        return { campaign: await campaignView(store, await found(store, request.params.id)) };
      },
    );

    app.get(
      '/api/v1/campaigns/:id/targets',
      {
        config: { auth: 'session', permission: 'campaigns.read' },
        schema: {
          tags,
          summary: "The campaign's targets and each one's result",
          params: IdParams,
          querystring: CampaignTargetQuery,
          response: { 200: CampaignTargetList, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        await found(store, request.params.id);
        const limit = request.query.limit ?? 50;
        const targets = await store.campaigns.targets(request.params.id, {
          limit,
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(request.query.after ? { after: request.query.after } : {}),
        });
        return {
          targets: targets.map(targetView),
          nextAfter: targets.length === limit ? (targets.at(-1)?.id ?? null) : null,
        };
      },
    );

    for (const action of ['start', 'pause', 'cancel'] as const) {
      app.post(
        `/api/v1/campaigns/:id/${action}`,
        {
          config: { auth: 'session', permission: 'campaigns.manage' },
          schema: {
            tags,
            summary: `${action[0]?.toUpperCase()}${action.slice(1)} the campaign`,
            params: IdParams,
            response: { 200: Type.Object({ campaign: CampaignViewSchema }), ...problems },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          const store = storeOf(principal);
          const campaign = await found(store, request.params.id);
          if (action === 'start' && !ctx.dialler.canDial)
            throw new HttpProblem(
              'conflict',
              'No voice line can place calls: configure a SIP voice inbox first',
            );
          const { from, to } = transitions[action];
          const at = now();
          if (!(await store.campaigns.setStatus(campaign.id, { from, to, at })))
            throw new HttpProblem('conflict', `A ${campaign.status} campaign cannot ${action}`);
          if (action === 'cancel') await store.campaigns.skipPending(campaign.id, 'cancelled', at);
          if (action === 'start') await ctx.dialler.poke(principal.workspaceId, campaign.id);
          await audit(principal, action, campaign.id);
          return { campaign: await campaignView(store, await found(store, campaign.id)) };
        },
      );
    }

    app.get(
      '/api/v1/voice/do-not-call',
      {
        config: { auth: 'session', permission: 'campaigns.read' },
        schema: {
          tags,
          summary: 'Numbers the shop never calls',
          response: { 200: DoNotCallList, ...problems },
        },
      },
      async (request) => {
        const entries = await storeOf(principalOf(request)).campaigns.doNotCall.list();
        return { entries: entries.map((e) => ({ ...e, phone: masked(e.phone) })) };
      },
    );

    app.post(
      '/api/v1/voice/do-not-call',
      {
        config: { auth: 'session', permission: 'campaigns.manage' },
        schema: {
          tags,
          summary: 'Add a number to the do-not-call list (no campaign calls it again)',
          body: DoNotCallBody,
          response: { 201: Type.Object({ entry: DoNotCallEntry }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        let phone: string;
        try {
          phone = normalisePhoneNumber(request.body.phone);
        } catch {
          throw new HttpProblem('validation_failed', 'Not a phone number', [
            { path: 'body/phone', message: 'not a phone number' },
          ]);
        }
        const entry = await storeOf(principal).campaigns.doNotCall.add({
          id: ctx.newId(),
          phone,
          reason: request.body.reason.trim(),
          addedBy: actorOf(principal).id,
          createdAt: now(),
        });
        await audit(principal, 'do_not_call.added', entry.id);
        reply.code(201);
        return { entry: { ...entry, phone: masked(entry.phone) } };
      },
    );

    app.delete(
      '/api/v1/voice/do-not-call/:id',
      {
        config: { auth: 'session', permission: 'campaigns.manage' },
        schema: {
          tags,
          summary: 'Remove a number from the do-not-call list',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!(await storeOf(principal).campaigns.doNotCall.remove(request.params.id)))
          throw new HttpProblem('not_found', 'No such entry');
        await audit(principal, 'do_not_call.removed', request.params.id);
        reply.code(204);
        return null;
      },
    );
  };

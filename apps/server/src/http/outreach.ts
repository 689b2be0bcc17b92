// Re-engagement campaigns (issue 10): segments with a live count, offer campaigns (variants, hold-out,
// coupons imported or generated, caps, quiet hours), start/pause/resume/cancel, a preview rendered for
// a sample customer, and the repurchase report of recipients against the hold-out.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CouponImportBody,
  CouponImportResult,
  IdParams,
  OfferPreview,
  OfferPreviewBody,
  OutreachCampaignBody,
  OutreachCampaignList,
  type OutreachCampaignView,
  OutreachCampaignView as OutreachCampaignViewSchema,
  OutreachReport,
  SegmentBody,
  SegmentCount,
  SegmentList,
  SegmentRule,
  SegmentView,
} from '@zhike/contracts';
import {
  attributeOrders,
  cancelOutreachCampaign,
  countSegment,
  createOutreachCampaign,
  customerFacts,
  evaluateSegment,
  type OutreachCampaign,
  ordersByCustomer,
  pauseOutreachCampaign,
  renderOffer,
  resumeOutreachCampaign,
  saveSegment,
  startOutreachCampaign,
  totalToFen,
  type WorkspaceStore,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['outreach'];

const campaignView = async (store: WorkspaceStore, c: OutreachCampaign): Promise<OutreachCampaignView> => {
  const { workspaceId: _, ...rest } = c;
  return {
    ...rest,
    counts: await store.outreach.recipients.counts(c.id),
    coupons: await store.outreach.coupons.count(c.id),
  };
};

export const outreachRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (principal: Principal) => ctx.db.forWorkspace(principal.workspaceId);
    const deps = (principal: Principal) => ({
      store: storeOf(principal),
      clock: ctx.clock,
      newId: ctx.newId,
    });
    const audit = (principal: Principal, change: string, id: string, type = 'outreach_campaign') =>
      recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type, id },
        details: { setting: 'outreach', change },
      });
    const found = async (store: WorkspaceStore, id: string) => {
      const campaign = await store.outreach.get(id);
      if (!campaign) throw new HttpProblem('not_found', 'No such campaign');
      return campaign;
    };
    const read = { auth: 'session', permission: 'campaigns.read' } as const;
    const manage = { auth: 'session', permission: 'campaigns.manage' } as const;

    app.get(
      '/api/v1/outreach-segments',
      {
        config: read,
        schema: { tags, summary: 'Saved segments', response: { 200: SegmentList, ...problems } },
      },
      async (request) => ({ segments: await storeOf(principalOf(request)).outreach.segments.list() }),
    );

    app.post(
      '/api/v1/outreach-segments',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Save a segment (no order or contact for N days, RFM score, tags, tier)',
          body: SegmentBody,
          response: { 201: Type.Object({ segment: SegmentView }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const segment = await saveSegment(deps(principal), {
          ...request.body,
          savedBy: actorOf(principal).id,
        });
        await audit(principal, 'segment_created', segment.id, 'outreach_segment');
        reply.code(201);
        return { segment };
      },
    );

    app.put(
      '/api/v1/outreach-segments/:id',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Edit a segment',
          params: IdParams,
          body: SegmentBody,
          response: { 200: Type.Object({ segment: SegmentView }), ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const segment = await saveSegment(deps(principal), {
          id: request.params.id,
          ...request.body,
          savedBy: actorOf(principal).id,
        });
        await audit(principal, 'segment_updated', segment.id, 'outreach_segment');
        return { segment };
      },
    );

    app.post(
      '/api/v1/outreach-segments/count',
      {
        config: read,
        schema: {
          tags,
          summary: 'How many customers a rule holds now (the live count)',
          body: Type.Object({ rule: SegmentRule }, { additionalProperties: false }),
          response: { 200: SegmentCount, ...problems },
        },
      },
      async (request) => countSegment(deps(principalOf(request)), request.body.rule),
    );

    app.get(
      '/api/v1/outreach-campaigns',
      {
        config: read,
        schema: {
          tags,
          summary: 'Re-engagement campaigns, newest first',
          response: { 200: OutreachCampaignList, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const list = await store.outreach.list({ limit: 100 });
        return { campaigns: await Promise.all(list.map((c) => campaignView(store, c))) };
      },
    );

    app.post(
      '/api/v1/outreach-campaigns',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Create a re-engagement campaign in draft',
          body: OutreachCampaignBody,
          response: { 201: Type.Object({ campaign: OutreachCampaignViewSchema }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const campaign = await createOutreachCampaign(deps(principal), {
          ...request.body,
          createdBy: actorOf(principal).id,
        });
        await audit(principal, 'created', campaign.id);
        reply.code(201);
        return { campaign: await campaignView(storeOf(principal), campaign) };
      },
    );

    app.get(
      '/api/v1/outreach-campaigns/:id',
      {
        config: read,
        schema: {
          tags,
          summary: 'One campaign with its recipients counted by status',
          params: IdParams,
          response: { 200: Type.Object({ campaign: OutreachCampaignViewSchema }), ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        return { campaign: await campaignView(store, await found(store, request.params.id)) };
      },
    );

    const actions = {
      start: startOutreachCampaign,
      pause: pauseOutreachCampaign,
      resume: resumeOutreachCampaign,
      cancel: cancelOutreachCampaign,
    } as const;
    for (const [action, run] of Object.entries(actions)) {
      app.post(
        `/api/v1/outreach-campaigns/:id/${action}`,
        {
          config: manage,
          schema: {
            tags,
            summary: `${action[0]?.toUpperCase()}${action.slice(1)} the campaign`,
            params: IdParams,
            response: { 200: Type.Object({ campaign: OutreachCampaignViewSchema }), ...problems },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          const campaign = await run(deps(principal), request.params.id);
          await audit(principal, action, campaign.id);
          ctx.worker.wake();
          return { campaign: await campaignView(storeOf(principal), campaign) };
        },
      );
    }

    app.post(
      '/api/v1/outreach-campaigns/:id/coupons',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Import coupon codes (one per customer; codes used anywhere in the workspace are skipped)',
          params: IdParams,
          body: CouponImportBody,
          response: { 200: CouponImportResult, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const campaign = await found(store, request.params.id);
        if (campaign.couponMode !== 'imported' || campaign.plannedAt)
          throw new HttpProblem(
            'conflict',
            'Codes are imported into a campaign with imported coupons before it starts',
          );
        const added = await store.outreach.coupons.import(
          campaign.id,
          request.body.codes,
          ctx.clock.now().toISOString(),
        );
        await audit(principal, 'coupons_imported', campaign.id);
        return { added, total: (await store.outreach.coupons.count(campaign.id)).total };
      },
    );

    app.post(
      '/api/v1/outreach-campaigns/:id/preview',
      {
        config: read,
        schema: {
          tags,
          summary:
            'Each variant rendered for a customer (given, or a sample from the segment); nothing is sent',
          params: IdParams,
          body: OfferPreviewBody,
          response: { 200: OfferPreview, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const campaign = await found(store, request.params.id);
        const facts = await customerFacts(store);
        let customerId = request.body.customerId ?? null;
        if (!customerId) {
          const segment = await store.outreach.segments.get(campaign.segmentId);
          customerId = segment
            ? (evaluateSegment(segment.rule, facts, ctx.clock.now())[0]?.customerId ?? null)
            : null;
        }
        const customer = customerId ? await store.customers.get(customerId) : null;
        if (request.body.customerId && !customer) throw new HttpProblem('not_found', 'No such customer');
        const workspace = await store.workspace.get();
        const sample = campaign.couponMode === 'none' ? null : `${campaign.couponPrefix}XXXXXXXX`;
        const recipient = customerId
          ? (await store.outreach.recipients.all(campaign.id)).find((r) => r.customerId === customerId)
          : undefined;
        return {
          customerId: customer?.id ?? null,
          previews: campaign.variants.map((v) => ({
            variant: v.key,
            ...renderOffer(
              v,
              {
                name: customer?.name ?? null,
                coupon: recipient?.couponCode ?? sample,
                lastProduct: facts.find((f) => f.customerId === customerId)?.lastProduct ?? null,
                shop: workspace.name,
              },
              {
                channel: campaign.channel,
                language: workspace.locale.startsWith('zh') ? 'zh' : 'en',
                unsubscribeUrl:
                  campaign.channel === 'email' ? `${ctx.config.publicUrl}/unsubscribe?token=…` : null,
              },
            ),
          })),
        };
      },
    );

    app.get(
      '/api/v1/outreach-campaigns/:id/report',
      {
        config: read,
        schema: {
          tags,
          summary: 'Repurchase rate of each variant’s recipients against the hold-out',
          params: IdParams,
          response: { 200: OutreachReport, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const campaign = await found(store, request.params.id);
        const recipients = (await store.outreach.recipients.all(campaign.id)).flatMap((r) => {
          const startsAt =
            r.status === 'holdout' ? campaign.plannedAt : r.status === 'sent' ? r.sentAt : null;
          return startsAt
            ? [{ customerId: r.customerId, variant: r.variant, startsAt, couponCode: r.couponCode }]
            : [];
        });
        const since = campaign.plannedAt ?? campaign.createdAt;
        const orders = (await ordersByCustomer(store))
          .filter(({ order }) => order.createdAt >= since)
          .map(({ order, customerIds }) => ({
            customerIds,
            createdAt: order.createdAt,
            couponCode: order.couponCode ?? null,
            totalFen: totalToFen(order.total) ?? 0,
          }));
        return {
          campaignId: campaign.id,
          name: campaign.name,
          ...attributeOrders(recipients, orders, campaign.attributionDays),
          attributionDays: campaign.attributionDays,
        };
      },
    );
  };

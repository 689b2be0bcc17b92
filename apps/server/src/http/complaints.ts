// Complaints for the console and the API: the board (open ones oldest first, by age), flagging a
// conversation as a complaint, closing one with its resolution and the customer's confirmation, and the
// closure KPI (target 100 %).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ComplaintCloseBody,
  ComplaintFlagBody,
  ComplaintKpiView,
  ComplaintList,
  ComplaintListQuery,
  type ComplaintView,
  ComplaintView as ComplaintViewSchema,
  IdParams,
  RangeQuery,
} from '@zhike/contracts';
import type { Complaint, WorkspaceStore } from '@zhike/core';
import Type from 'typebox';
import { actorOf } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { problems } from './schemas.ts';
import { rangeOf } from './surveys.ts';

const tags = ['complaints'];

async function complaintViews(store: WorkspaceStore, list: Complaint[], now: Date): Promise<ComplaintView[]> {
  const names = new Map<string, string | null>();
  const out: ComplaintView[] = [];
  for (const c of list) {
    if (!names.has(c.customerId))
      names.set(c.customerId, (await store.customers.get(c.customerId))?.name ?? null);
    const survey = c.surveyId ? await store.surveys.get(c.surveyId) : null;
    const end = c.closedAt ? new Date(c.closedAt) : now;
    out.push({
      id: c.id,
      source: c.source,
      customerId: c.customerId,
      customerName: names.get(c.customerId) ?? null,
      conversationId: c.conversationId,
      ticketId: c.ticketId,
      surveyId: c.surveyId,
      score: survey?.score ?? null,
      status: c.status,
      note: c.note,
      resolutionNote: c.resolutionNote,
      confirmation: c.confirmation,
      closedBy: c.closedBy,
      createdAt: c.createdAt,
      closedAt: c.closedAt,
      ageHours: Math.max(0, Math.round(((end.getTime() - Date.parse(c.createdAt)) / 3_600_000) * 10) / 10),
    });
  }
  return out;
}

export const complaintRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/complaints',
      {
        config: { auth: 'session', permission: 'complaints.read' },
        schema: {
          tags,
          summary: 'Complaints: open ones oldest first (the board), closed ones newest first',
          querystring: ComplaintListQuery,
          response: { 200: ComplaintList, ...problems },
        },
      },
      async (request) => {
        const store = ctx.db.forWorkspace(principalOf(request).workspaceId);
        const list = await store.complaints.list({
          limit: request.query.limit ?? 100,
          ...(request.query.status ? { status: request.query.status } : {}),
        });
        return { complaints: await complaintViews(store, list, ctx.clock.now()) };
      },
    );

    app.get(
      '/api/v1/complaints/kpi',
      {
        config: { auth: 'session', permission: 'complaints.read' },
        schema: {
          tags,
          summary: 'Closure rate of the complaints opened in a range (target 100 %), open ones by age',
          querystring: RangeQuery,
          response: { 200: ComplaintKpiView, ...problems },
        },
      },
      async (request) => {
        const now = ctx.clock.now();
        const range = rangeOf(request.query, now);
        const kpi = await ctx.db
          .forWorkspace(principalOf(request).workspaceId)
          .complaints.kpi(range, now.toISOString());
        return { ...range, ...kpi };
      },
    );

    app.post(
      '/api/v1/complaints',
      {
        config: { auth: 'session', permission: 'complaints.flag' },
        schema: {
          tags,
          summary: 'Flag a conversation as a complaint (one complaint per flag)',
          body: ComplaintFlagBody,
          response: { 201: Type.Object({ complaint: ComplaintViewSchema }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const result = await ctx.surveys.flagComplaint(principal.workspaceId, {
          conversationId: request.body.conversationId,
          note: request.body.note ?? null,
          openedBy: actorOf(principal).id,
          source: 'manual',
        });
        reply.code(201);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const [view] = await complaintViews(store, [result.complaint], ctx.clock.now());
        return { complaint: view as ComplaintView };
      },
    );

    app.post(
      '/api/v1/complaints/:id/close',
      {
        config: { auth: 'session', permission: 'complaints.close' },
        schema: {
          tags,
          summary: "Close a complaint with its resolution and the customer's confirmation",
          params: IdParams,
          body: ComplaintCloseBody,
          response: { 200: Type.Object({ complaint: ComplaintViewSchema }), ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const complaint = await ctx.surveys.closeComplaint(principal.workspaceId, {
          complaintId: request.params.id,
          resolutionNote: request.body.resolutionNote,
          customerConfirmed: request.body.customerConfirmed,
          userId: actorOf(principal).id,
        });
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const [view] = await complaintViews(store, [complaint], ctx.clock.now());
        return { complaint: view as ComplaintView };
      },
    );
  };

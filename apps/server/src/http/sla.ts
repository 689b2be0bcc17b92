// SLA settings and reporting (issue 10): the workspace's business calendar (weekly hours, China's
// statutory holidays and 调休 days, the workspace's own days), SLA policies, a ticket's SLA clocks and
// the SLA report. Admins edit; supervisors read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  SlaCalendarBody,
  SlaCalendarQuery,
  SlaCalendarView,
  SlaPolicyBody,
  SlaPolicyList,
  type SlaPolicyView,
  SlaPolicyView as SlaPolicyViewSchema,
  SlaReport,
  SlaReportQuery,
  TicketSlaView,
} from '@zhike/contracts';
import {
  businessClock,
  calendarDays,
  chinaHolidayYears,
  clockState,
  elapsedMs,
  isCalendarDate,
  isTimeZone,
  roundTheClock,
  type SlaPolicy,
  summariseSlaReport,
  type WorkspaceStore,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['sla'];
const MAX_REPORT_DAYS = 366;

const policyView = (p: SlaPolicy): SlaPolicyView => ({
  id: p.id,
  name: p.name,
  conditions: p.conditions,
  targets: p.targets,
  businessHours: p.businessHours,
  escalation: p.escalation,
  enabled: p.enabled,
  position: p.position,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export const slaRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (principal: Principal) => ctx.db.forWorkspace(principal.workspaceId);
    const now = () => ctx.clock.now().toISOString();
    const audit = (principal: Principal, change: string, id: string) =>
      recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'sla', id },
        details: { setting: 'sla', change },
      });

    const calendarView = async (store: WorkspaceStore, year: number) => {
      const calendar = await store.sla.calendar.get();
      return {
        timeZone: calendar.hours.timeZone ?? 'Asia/Shanghai',
        periods: calendar.hours.periods,
        chinaHolidays: calendar.chinaHolidays,
        overrides: calendar.overrides,
        updatedAt: calendar.updatedAt,
        year,
        days: calendarDays(calendar, year),
        builtInYears: [...chinaHolidayYears],
      };
    };
    const thisYear = () => Number(now().slice(0, 4));

    app.get(
      '/api/v1/sla/calendar',
      {
        config: { auth: 'session', permission: 'sla.read' },
        schema: {
          tags,
          summary: "The business calendar, with the year's holidays and make-up working days",
          querystring: SlaCalendarQuery,
          response: { 200: SlaCalendarView, ...problems },
        },
      },
      async (request) => calendarView(storeOf(principalOf(request)), request.query.year ?? thisYear()),
    );

    app.put(
      '/api/v1/sla/calendar',
      {
        config: { auth: 'session', permission: 'sla.manage' },
        schema: {
          tags,
          summary: 'Replace the business calendar (hours, statutory switch, own days)',
          body: SlaCalendarBody,
          response: { 200: SlaCalendarView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const body = request.body;
        if (!isTimeZone(body.timeZone))
          throw new HttpProblem('validation_failed', 'Unknown time zone', [
            { path: '/timeZone', message: 'not an IANA time zone' },
          ]);
        const bad = body.overrides.findIndex((o) => !isCalendarDate(o.date));
        if (bad >= 0)
          throw new HttpProblem('validation_failed', 'Not a calendar date', [
            { path: `/overrides/${bad}/date`, message: 'not a date' },
          ]);
        if (new Set(body.overrides.map((o) => o.date)).size !== body.overrides.length)
          throw new HttpProblem('validation_failed', 'A date is listed twice');
        const store = storeOf(principal);
        await store.sla.calendar.save(
          {
            hours: { timeZone: body.timeZone, periods: body.periods },
            chinaHolidays: body.chinaHolidays,
            overrides: body.overrides.map((o) => ({ ...o, name: o.name.trim() })),
          },
          now(),
        );
        await audit(principal, 'calendar', principal.workspaceId);
        return calendarView(store, thisYear());
      },
    );

    app.get(
      '/api/v1/sla/policies',
      {
        config: { auth: 'session', permission: 'sla.read' },
        schema: { tags, summary: 'SLA policies in order', response: { 200: SlaPolicyList, ...problems } },
      },
      async (request) => ({
        policies: (await storeOf(principalOf(request)).sla.policies.list()).map(policyView),
      }),
    );

    const checkAssignee = async (store: WorkspaceStore, body: SlaPolicyBody) => {
      const userId = body.escalation.reassignToUserId;
      if (userId && !(await store.users.get(userId)))
        throw new HttpProblem('validation_failed', 'No such user', [
          { path: '/escalation/reassignToUserId', message: 'not a user of this workspace' },
        ]);
    };

    app.post(
      '/api/v1/sla/policies',
      {
        config: { auth: 'session', permission: 'sla.manage' },
        schema: {
          tags,
          summary: 'Add an SLA policy (placed last)',
          body: SlaPolicyBody,
          response: { 201: Type.Object({ policy: SlaPolicyViewSchema }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        await checkAssignee(store, request.body);
        const at = now();
        const policy: SlaPolicy = {
          ...request.body,
          id: ctx.newId(),
          position: await store.sla.policies.nextPosition(),
          createdAt: at,
          updatedAt: at,
        };
        await store.sla.policies.save(policy);
        await audit(principal, 'policy.created', policy.id);
        reply.code(201);
        return { policy: policyView(policy) };
      },
    );

    app.put(
      '/api/v1/sla/policies/:id',
      {
        config: { auth: 'session', permission: 'sla.manage' },
        schema: {
          tags,
          summary: 'Change an SLA policy (tickets already running keep the targets they started with)',
          params: IdParams,
          body: SlaPolicyBody,
          response: { 200: Type.Object({ policy: SlaPolicyViewSchema }), ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const existing = await store.sla.policies.get(request.params.id);
        if (!existing) throw new HttpProblem('not_found', 'No such SLA policy');
        await checkAssignee(store, request.body);
        const policy: SlaPolicy = { ...existing, ...request.body, updatedAt: now() };
        await store.sla.policies.save(policy);
        await audit(principal, 'policy.updated', policy.id);
        return { policy: policyView(policy) };
      },
    );

    app.delete(
      '/api/v1/sla/policies/:id',
      {
        config: { auth: 'session', permission: 'sla.manage' },
        schema: { tags, summary: 'Delete an SLA policy', params: IdParams, response: { ...problems } },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!(await storeOf(principal).sla.policies.remove(request.params.id)))
          throw new HttpProblem('not_found', 'No such SLA policy');
        await audit(principal, 'policy.deleted', request.params.id);
        reply.code(204);
      },
    );

    app.get(
      '/api/v1/tickets/:id/sla',
      {
        config: { auth: 'sessionOrApiKey', permission: 'tickets.read' },
        schema: {
          tags,
          summary: "A ticket's SLA clocks: each target's state, time used and deadline",
          params: IdParams,
          response: { 200: TicketSlaView, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        if (!(await store.tickets.get(request.params.id)))
          throw new HttpProblem('not_found', 'No such ticket');
        const calendar = businessClock(await store.sla.calendar.get());
        const at = ctx.clock.now();
        const clocks = await store.sla.clocks.forTicket(request.params.id);
        return {
          ticketId: request.params.id,
          clocks: clocks.map((c) => ({
            id: c.id,
            metric: c.metric,
            cycle: c.cycle,
            state: clockState(c),
            targetMinutes: c.targetMinutes,
            businessHours: c.businessHours,
            elapsedMinutes:
              Math.round(elapsedMs(c, c.businessHours ? calendar : roundTheClock, at) / 600) / 100,
            startedAt: c.startedAt,
            dueAt: c.dueAt,
            warnedAt: c.warnedAt,
            breachedAt: c.breachedAt,
            stoppedAt: c.stoppedAt,
          })),
        };
      },
    );

    app.get(
      '/api/v1/sla/report',
      {
        config: { auth: 'session', permission: 'sla.read' },
        schema: {
          tags,
          summary: 'Met and breached SLA targets of tickets started in a period, by priority and category',
          querystring: SlaReportQuery,
          response: { 200: SlaReport, ...problems },
        },
      },
      async (request) => {
        const from = new Date(request.query.from);
        const to = new Date(request.query.to);
        if (from > to || to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000)
          throw new HttpProblem(
            'validation_failed',
            `from must not be after to, at most ${MAX_REPORT_DAYS} days apart`,
          );
        const rows = await storeOf(principalOf(request)).sla.clocks.report({
          from: from.toISOString(),
          to: to.toISOString(),
        });
        return { from: from.toISOString(), to: to.toISOString(), ...summariseSlaReport(rows) };
      },
    );
  };

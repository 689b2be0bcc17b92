// SLA storage of one workspace (migration 0025): the business calendar and its dated edits, SLA policies,
// and ticket clocks (warnings, breaches and escalations are compare-and-set, so a job run twice acts once).
import {
  type CalendarOverride,
  defaultWorkspaceCalendar,
  type Priority,
  type SlaClock,
  type SlaEscalationPlan,
  type SlaMetric,
  type SlaPolicy,
  type SlaReportRow,
  type SlaRepository,
  type StoredSlaClock,
} from '@zhike/core';
import { type Selectable, sql } from 'kysely';
import { parseList, type Scope } from './scope.ts';

export interface SlaCalendarsTable {
  workspaceId: string;
  timeZone: string;
  periods: string;
  chinaHolidays: number;
  updatedAt: string;
}

export interface SlaCalendarDaysTable {
  id: string;
  workspaceId: string;
  date: string;
  kind: string;
  name: string;
}

export interface SlaPoliciesTable {
  id: string;
  workspaceId: string;
  name: string;
  priority: string | null;
  category: string | null;
  customerTier: string | null;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: number;
  notifySupervisors: number;
  raisePriority: number;
  reassignToUserId: string | null;
  enabled: number;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface SlaClocksTable {
  id: string;
  workspaceId: string;
  ticketId: string;
  metric: string;
  cycle: number;
  policyId: string;
  targetMinutes: number;
  businessHours: number;
  priority: string;
  category: string | null;
  customerTier: string | null;
  startedAt: string;
  elapsedMs: number | string;
  runningSince: string | null;
  warnAt: string | null;
  dueAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  escalation: string | null;
  escalatedAt: string | null;
  updatedAt: string;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

const toPolicy = (r: Selectable<SlaPoliciesTable>): SlaPolicy => ({
  id: r.id,
  name: r.name,
  conditions: {
    priority: r.priority as SlaPolicy['conditions']['priority'],
    category: r.category,
    customerTier: r.customerTier as SlaPolicy['conditions']['customerTier'],
  },
  targets: {
    first_response: num(r.firstResponseMinutes),
    next_response: num(r.nextResponseMinutes),
    resolution: num(r.resolutionMinutes),
  },
  businessHours: Number(r.businessHours) === 1,
  escalation: {
    notifySupervisors: Number(r.notifySupervisors) === 1,
    raisePriority: Number(r.raisePriority) === 1,
    reassignToUserId: r.reassignToUserId,
  },
  enabled: Number(r.enabled) === 1,
  position: Number(r.position),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toClock = (r: Selectable<SlaClocksTable>): StoredSlaClock => ({
  id: r.id,
  ticketId: r.ticketId,
  metric: r.metric as SlaMetric,
  cycle: Number(r.cycle),
  policyId: r.policyId,
  targetMinutes: Number(r.targetMinutes),
  businessHours: Number(r.businessHours) === 1,
  priority: r.priority as Priority,
  category: r.category,
  customerTier: r.customerTier as SlaClock['customerTier'],
  startedAt: r.startedAt,
  elapsedMs: Number(r.elapsedMs),
  runningSince: r.runningSince,
  warnAt: r.warnAt,
  dueAt: r.dueAt,
  warnedAt: r.warnedAt,
  breachedAt: r.breachedAt,
  stoppedAt: r.stoppedAt,
  escalation: r.escalation ? (JSON.parse(r.escalation) as SlaEscalationPlan) : null,
  escalatedAt: r.escalatedAt,
});

const counting = (c: SlaClock) => ({
  elapsedMs: Math.round(c.elapsedMs),
  runningSince: c.runningSince,
  warnAt: c.warnAt,
  dueAt: c.dueAt,
  breachedAt: c.breachedAt,
  stoppedAt: c.stoppedAt,
});

export function slaRepository(s: Scope): SlaRepository {
  const policies = () => s.db.selectFrom('slaPolicies').selectAll().where('workspaceId', '=', s.workspaceId);
  const clocks = () => s.db.selectFrom('slaClocks').selectAll().where('workspaceId', '=', s.workspaceId);
  const updateClock = (id: string) =>
    s.db.updateTable('slaClocks').where('workspaceId', '=', s.workspaceId).where('id', '=', id);

  return {
    calendar: {
      async get() {
        const row = await s.db
          .selectFrom('slaCalendars')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        const days = await s.db
          .selectFrom('slaCalendarDays')
          .select(['date', 'kind', 'name'])
          .where('workspaceId', '=', s.workspaceId)
          .orderBy('date')
          .execute();
        const overrides = days.map((d) => ({ ...d, kind: d.kind as CalendarOverride['kind'] }));
        if (!row) return { ...defaultWorkspaceCalendar(), overrides, updatedAt: null };
        return {
          hours: { timeZone: row.timeZone, periods: parseList(row.periods) },
          chinaHolidays: Number(row.chinaHolidays) === 1,
          overrides,
          updatedAt: row.updatedAt,
        };
      },
      async save(calendar, at) {
        const values = {
          timeZone: calendar.hours.timeZone ?? 'Asia/Shanghai',
          periods: JSON.stringify(calendar.hours.periods),
          chinaHolidays: calendar.chinaHolidays ? 1 : 0,
          updatedAt: at,
        };
        await s.db
          .insertInto('slaCalendars')
          .values({ workspaceId: s.workspaceId, ...values })
          .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
          .execute();
        await s.db.deleteFrom('slaCalendarDays').where('workspaceId', '=', s.workspaceId).execute();
        if (calendar.overrides.length > 0)
          await s.db
            .insertInto('slaCalendarDays')
            .values(
              calendar.overrides.map((o) => ({
                id: s.newId(),
                workspaceId: s.workspaceId,
                date: o.date,
                kind: o.kind,
                name: o.name,
              })),
            )
            .execute();
      },
    },
    policies: {
      list: async () => (await policies().orderBy('position').orderBy('id').execute()).map(toPolicy),
      async get(id) {
        const row = await policies().where('id', '=', id).executeTakeFirst();
        return row ? toPolicy(row) : null;
      },
      async save(p) {
        const values = {
          name: p.name,
          priority: p.conditions.priority,
          category: p.conditions.category,
          customerTier: p.conditions.customerTier,
          firstResponseMinutes: p.targets.first_response,
          nextResponseMinutes: p.targets.next_response,
          resolutionMinutes: p.targets.resolution,
          businessHours: p.businessHours ? 1 : 0,
          notifySupervisors: p.escalation.notifySupervisors ? 1 : 0,
          raisePriority: p.escalation.raisePriority ? 1 : 0,
          reassignToUserId: p.escalation.reassignToUserId,
          enabled: p.enabled ? 1 : 0,
          position: p.position,
          updatedAt: p.updatedAt,
        };
        const updated = await s.db
          .updateTable('slaPolicies')
          .set(values)
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', p.id)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) return;
        await s.db
          .insertInto('slaPolicies')
          .values({ id: p.id, workspaceId: s.workspaceId, createdAt: p.createdAt, ...values })
          .execute();
      },
      async remove(id) {
        const r = await s.db
          .deleteFrom('slaPolicies')
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      },
      async nextPosition() {
        const row = await s.db
          .selectFrom('slaPolicies')
          .select((eb) => eb.fn.max('position').as('last'))
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        return row?.last == null ? 0 : Number(row.last) + 1;
      },
    },
    clocks: {
      forTicket: async (ticketId) =>
        (await clocks().where('ticketId', '=', ticketId).orderBy('startedAt').orderBy('id').execute()).map(
          toClock,
        ),
      forTickets: async (ticketIds) =>
        ticketIds.length === 0
          ? []
          : (
              await clocks()
                .where('ticketId', 'in', [...ticketIds])
                .orderBy('startedAt')
                .orderBy('id')
                .execute()
            ).map(toClock),
      async insert(c) {
        const r = await s.db
          .insertInto('slaClocks')
          .values({
            id: c.id,
            workspaceId: s.workspaceId,
            ticketId: c.ticketId,
            metric: c.metric,
            cycle: c.cycle,
            policyId: c.policyId,
            targetMinutes: c.targetMinutes,
            businessHours: c.businessHours ? 1 : 0,
            priority: c.priority,
            category: c.category,
            customerTier: c.customerTier,
            startedAt: c.startedAt,
            warnedAt: c.warnedAt,
            escalation: null,
            escalatedAt: null,
            updatedAt: c.startedAt,
            ...counting(c),
          })
          .onConflict((oc) => oc.columns(['workspaceId', 'ticketId', 'metric', 'cycle']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return r !== undefined;
      },
      async update(c) {
        await updateClock(c.id)
          .set({ ...counting(c), updatedAt: new Date().toISOString() })
          .execute();
      },
      async retarget(c) {
        await updateClock(c.id)
          .set({
            ...counting(c),
            policyId: c.policyId,
            targetMinutes: c.targetMinutes,
            businessHours: c.businessHours ? 1 : 0,
            priority: c.priority,
            category: c.category,
            customerTier: c.customerTier,
            warnedAt: c.warnedAt,
            updatedAt: new Date().toISOString(),
          })
          .execute();
      },
      async markWarned(id, at) {
        const r = await updateClock(id)
          .set({ warnedAt: at })
          .where('warnedAt', 'is', null)
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      },
      async markBreached(id, at, escalation) {
        const r = await updateClock(id)
          .set({ breachedAt: at, escalation: JSON.stringify(escalation) })
          .where('breachedAt', 'is', null)
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      },
      async markEscalated(id, at) {
        const r = await updateClock(id)
          .set({ escalatedAt: at })
          .where('escalatedAt', 'is', null)
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      },
      async report(range) {
        const when = (breached: boolean, stopped: boolean | null) =>
          sql<number>`sum(case when breached_at is ${breached ? sql`not null` : sql`null`}${
            stopped === null ? sql`` : sql` and stopped_at is ${stopped ? sql`not null` : sql`null`}`
          } then 1 else 0 end)`;
        const rows = await s.db
          .selectFrom('slaClocks')
          .select([
            'metric',
            'priority',
            'category',
            when(true, null).as('breached'),
            when(false, true).as('met'),
            when(false, false).as('open'),
          ])
          .where('workspaceId', '=', s.workspaceId)
          .where('startedAt', '>=', range.from)
          .where('startedAt', '<', range.to)
          .groupBy(['metric', 'priority', 'category'])
          .orderBy('metric')
          .orderBy('priority')
          .execute();
        return rows.map(
          (r): SlaReportRow => ({
            metric: r.metric as SlaMetric,
            priority: r.priority as Priority,
            category: r.category,
            met: Number(r.met),
            breached: Number(r.breached),
            open: Number(r.open),
          }),
        );
      },
    },
  };
}

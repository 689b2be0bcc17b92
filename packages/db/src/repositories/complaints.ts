// Complaints of one workspace (migration 0026): tracked until closed; the notes sealed with the workspace
// key. The board reads open ones oldest first; the KPI counts closure of those opened in a range.
import {
  COMPLAINT_CLOSURE_TARGET,
  type Complaint,
  type ComplaintConfirmation,
  type ComplaintKpi,
  type ComplaintSource,
  type ComplaintStatus,
  type ComplaintsRepository,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import { openNullable, type PersonalDataCodec, sealNullable } from '../personalData.ts';
import type { Scope } from './scope.ts';

export interface ComplaintsTable {
  id: string;
  workspaceId: string;
  sourceKey: string;
  source: string;
  customerId: string;
  conversationId: string | null;
  ticketId: string | null;
  surveyId: string | null;
  status: string;
  note: string | null;
  openedBy: string | null;
  resolutionNote: string | null;
  confirmation: string | null;
  closedBy: string | null;
  createdAt: string;
  closedAt: string | null;
}

export const COMPLAINT_FIELDS = {
  note: 'complaints.note',
  resolution: 'complaints.resolution_note',
} as const;

const toComplaint = (codec: PersonalDataCodec, r: Selectable<ComplaintsTable>): Complaint => ({
  id: r.id,
  source: r.source as ComplaintSource,
  customerId: r.customerId,
  conversationId: r.conversationId,
  ticketId: r.ticketId,
  surveyId: r.surveyId,
  status: r.status as ComplaintStatus,
  note: openNullable(codec, r.note, COMPLAINT_FIELDS.note),
  openedBy: r.openedBy,
  resolutionNote: openNullable(codec, r.resolutionNote, COMPLAINT_FIELDS.resolution),
  confirmation: r.confirmation as ComplaintConfirmation | null,
  closedBy: r.closedBy,
  createdAt: r.createdAt,
  closedAt: r.closedAt,
});

const HOUR = 3_600_000;
const sources: ComplaintSource[] = ['intent', 'survey', 'manual'];

export function complaintsRepository(s: Scope): ComplaintsRepository {
  const ws = s.workspaceId;
  const complaints = () => s.db.selectFrom('complaints').selectAll().where('workspaceId', '=', ws);
  const byKey = async (sourceKey: string) =>
    complaints().where('sourceKey', '=', sourceKey).executeTakeFirst();

  return {
    async open(input) {
      const codec = await s.codec();
      const inserted = await s.db
        .insertInto('complaints')
        .values({
          id: input.id,
          workspaceId: ws,
          sourceKey: input.sourceKey,
          source: input.source,
          customerId: input.customerId,
          conversationId: input.conversationId,
          ticketId: input.ticketId,
          surveyId: input.surveyId,
          status: 'open',
          note: sealNullable(codec, input.note, COMPLAINT_FIELDS.note),
          openedBy: input.openedBy,
          resolutionNote: null,
          confirmation: null,
          closedBy: null,
          createdAt: input.createdAt,
          closedAt: null,
        })
        .onConflict((oc) => oc.columns(['workspaceId', 'sourceKey']).doNothing())
        .returning('id')
        .executeTakeFirst();
      const row = await byKey(input.sourceKey);
      if (!row) throw new Error('complaint vanished after insert');
      return { complaint: toComplaint(codec, row), created: inserted !== undefined };
    },
    async get(id) {
      const row = await complaints().where('id', '=', id).executeTakeFirst();
      return row ? toComplaint(await s.codec(), row) : null;
    },
    async openForTicket(ticketId) {
      const rows = await complaints()
        .where('ticketId', '=', ticketId)
        .where('status', '=', 'open')
        .orderBy('createdAt')
        .execute();
      const codec = await s.codec();
      return rows.map((r) => toComplaint(codec, r));
    },
    async linkTicket(id, ticketId) {
      await s.db
        .updateTable('complaints')
        .set({ ticketId })
        .where('workspaceId', '=', ws)
        .where('id', '=', id)
        .execute();
    },
    async close(id, closure) {
      const codec = await s.codec();
      const r = await s.db
        .updateTable('complaints')
        .set({
          status: 'closed',
          resolutionNote: sealNullable(codec, closure.resolutionNote, COMPLAINT_FIELDS.resolution),
          confirmation: closure.confirmation,
          closedBy: closure.closedBy,
          closedAt: closure.closedAt,
        })
        .where('workspaceId', '=', ws)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async list(options) {
      let q = complaints();
      if (options.status) q = q.where('status', '=', options.status);
      const newestFirst = options.status !== 'open';
      const rows = await q
        .orderBy('createdAt', newestFirst ? 'desc' : 'asc')
        .orderBy('id', newestFirst ? 'desc' : 'asc')
        .limit(options.limit)
        .execute();
      const codec = await s.codec();
      return rows.map((r) => toComplaint(codec, r));
    },
    async kpi(range, now): Promise<ComplaintKpi> {
      const opened = await s.db
        .selectFrom('complaints')
        .select(['source', 'status', 'createdAt', 'closedAt'])
        .where('workspaceId', '=', ws)
        .where('createdAt', '>=', range.from)
        .where('createdAt', '<', range.to)
        .execute();
      const stillOpen = await s.db
        .selectFrom('complaints')
        .select('createdAt')
        .where('workspaceId', '=', ws)
        .where('status', '=', 'open')
        .execute();
      const closed = opened.filter((r) => r.status === 'closed' && r.closedAt);
      const hours = closed
        .map((r) => (Date.parse(r.closedAt ?? '') - Date.parse(r.createdAt)) / HOUR)
        .sort((a, b) => a - b);
      const mid = Math.floor(hours.length / 2);
      const median =
        hours.length === 0
          ? null
          : hours.length % 2 === 1
            ? (hours[mid] ?? null)
            : ((hours[mid - 1] ?? 0) + (hours[mid] ?? 0)) / 2;
      const nowMs = Date.parse(now);
      const openByAge = { under24h: 0, days1to3: 0, days3to7: 0, over7d: 0 };
      for (const r of stillOpen) {
        const age = (nowMs - Date.parse(r.createdAt)) / HOUR;
        if (age < 24) openByAge.under24h++;
        else if (age < 72) openByAge.days1to3++;
        else if (age < 168) openByAge.days3to7++;
        else openByAge.over7d++;
      }
      return {
        opened: opened.length,
        closed: closed.length,
        closureRate: opened.length > 0 ? closed.length / opened.length : null,
        target: COMPLAINT_CLOSURE_TARGET,
        medianHoursToClose: median === null ? null : Math.round(median * 10) / 10,
        openByAge,
        bySource: sources.map((source) => ({
          source,
          opened: opened.filter((r) => r.source === source).length,
          closed: closed.filter((r) => r.source === source).length,
        })),
      };
    },
  };
}

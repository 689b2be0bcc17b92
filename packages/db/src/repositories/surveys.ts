// Follow-up surveys of one workspace (migration 0026): settings, each survey (the comment sealed with the
// workspace key; of the link only its token's hash) and the CSAT summary over a range.
import type {
  ChannelType,
  CsatSummary,
  Survey,
  SurveyAnswerVia,
  SurveySkipReason,
  SurveyStatus,
  SurveysRepository,
  SurveyTrigger,
} from '@zhike/core';
import { defaultSurveySettings } from '@zhike/core';
import type { Selectable } from 'kysely';
import { openNullable, type PersonalDataCodec, sealNullable } from '../personalData.ts';
import type { Scope } from './scope.ts';

export interface SurveySettingsTable {
  workspaceId: string;
  enabled: number;
  delayMinutes: number;
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  minDaysBetween: number;
  linkTtlHours: number;
  updatedAt: string;
}

export interface SurveysTable {
  id: string;
  workspaceId: string;
  sourceKey: string;
  customerId: string;
  conversationId: string | null;
  ticketId: string | null;
  trigger: string;
  channel: string | null;
  inboxId: string | null;
  status: string;
  skipReason: string | null;
  dueAt: string;
  sentAt: string | null;
  expiresAt: string | null;
  messageId: string | null;
  tokenHash: string | null;
  score: number | null;
  comment: string | null;
  answeredAt: string | null;
  answeredVia: string | null;
  negative: number | null;
  complaintId: string | null;
  createdAt: string;
  updatedAt: string;
}

export const SURVEY_COMMENT_FIELD = 'surveys.comment';

const toSurvey = (codec: PersonalDataCodec, r: Selectable<SurveysTable>): Survey => ({
  id: r.id,
  customerId: r.customerId,
  conversationId: r.conversationId,
  ticketId: r.ticketId,
  trigger: r.trigger as SurveyTrigger,
  channel: r.channel as ChannelType | null,
  inboxId: r.inboxId,
  status: r.status as SurveyStatus,
  skipReason: r.skipReason as SurveySkipReason | null,
  dueAt: r.dueAt,
  sentAt: r.sentAt,
  expiresAt: r.expiresAt,
  messageId: r.messageId,
  score: r.score === null ? null : Number(r.score),
  comment: openNullable(codec, r.comment, SURVEY_COMMENT_FIELD),
  answeredAt: r.answeredAt,
  answeredVia: r.answeredVia as SurveyAnswerVia | null,
  negative: r.negative === null ? null : Number(r.negative) === 1,
  complaintId: r.complaintId,
  createdAt: r.createdAt,
});

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function surveysRepository(s: Scope): SurveysRepository {
  const ws = s.workspaceId;
  const surveys = () => s.db.selectFrom('surveys').selectAll().where('workspaceId', '=', ws);
  const update = (id: string) =>
    s.db.updateTable('surveys').where('workspaceId', '=', ws).where('id', '=', id);
  const one = async (row: Selectable<SurveysTable> | undefined) =>
    row ? toSurvey(await s.codec(), row) : null;

  return {
    async settings() {
      const r = await s.db
        .selectFrom('surveySettings')
        .selectAll()
        .where('workspaceId', '=', ws)
        .executeTakeFirst();
      if (!r) return defaultSurveySettings;
      return {
        enabled: Number(r.enabled) === 1,
        delayMinutes: Number(r.delayMinutes),
        timeZone: r.timeZone,
        quietHours: r.quietStart && r.quietEnd ? { start: r.quietStart, end: r.quietEnd } : null,
        minDaysBetween: Number(r.minDaysBetween),
        linkTtlHours: Number(r.linkTtlHours),
        updatedAt: r.updatedAt,
      };
    },
    async saveSettings(settings, at) {
      const values = {
        enabled: settings.enabled ? 1 : 0,
        delayMinutes: settings.delayMinutes,
        timeZone: settings.timeZone,
        quietStart: settings.quietHours?.start ?? null,
        quietEnd: settings.quietHours?.end ?? null,
        minDaysBetween: settings.minDaysBetween,
        linkTtlHours: settings.linkTtlHours,
        updatedAt: at,
      };
      await s.db
        .insertInto('surveySettings')
        .values({ workspaceId: ws, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
      return { ...settings, updatedAt: at };
    },
    async create(survey) {
      const inserted = await s.db
        .insertInto('surveys')
        .values({
          id: survey.id,
          workspaceId: ws,
          sourceKey: survey.sourceKey,
          customerId: survey.customerId,
          conversationId: survey.conversationId,
          ticketId: survey.ticketId,
          trigger: survey.trigger,
          channel: survey.channel,
          inboxId: survey.inboxId,
          status: survey.status,
          skipReason: survey.skipReason,
          dueAt: survey.dueAt,
          sentAt: null,
          expiresAt: null,
          messageId: null,
          tokenHash: null,
          score: null,
          comment: null,
          answeredAt: null,
          answeredVia: null,
          negative: null,
          complaintId: null,
          createdAt: survey.createdAt,
          updatedAt: survey.createdAt,
        })
        .onConflict((oc) => oc.columns(['workspaceId', 'sourceKey']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async get(id) {
      return one(await surveys().where('id', '=', id).executeTakeFirst());
    },
    async bySource(sourceKey) {
      return one(await surveys().where('sourceKey', '=', sourceKey).executeTakeFirst());
    },
    async lastSurveyedAt(customerId) {
      const r = await s.db
        .selectFrom('surveys')
        .select((eb) => eb.fn.max('createdAt').as('last'))
        .where('workspaceId', '=', ws)
        .where('customerId', '=', customerId)
        .where('status', 'in', ['scheduled', 'sent', 'answered'])
        .executeTakeFirst();
      return (r?.last as string | null | undefined) ?? null;
    },
    async markSent(id, sent) {
      const r = await update(id)
        .set({ status: 'sent', ...sent, updatedAt: sent.sentAt })
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async markSkipped(id, reason, at) {
      const r = await update(id)
        .set({ status: 'skipped', skipReason: reason, updatedAt: at })
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async awaitingReply(customerId, inboxId, now) {
      return one(
        await surveys()
          .where('customerId', '=', customerId)
          .where('inboxId', '=', inboxId)
          .where('status', '=', 'sent')
          .where('expiresAt', '>', now)
          .orderBy('sentAt', 'desc')
          .limit(1)
          .executeTakeFirst(),
      );
    },
    async recordAnswer(id, answer) {
      const codec = await s.codec();
      const r = await update(id)
        .set({
          status: 'answered',
          score: answer.score,
          comment: sealNullable(codec, answer.comment, SURVEY_COMMENT_FIELD),
          answeredAt: answer.answeredAt,
          answeredVia: answer.via,
          updatedAt: answer.answeredAt,
        })
        .where('status', '=', 'sent')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async markReviewed(id, review) {
      await update(id)
        .set({ negative: review.negative ? 1 : 0, complaintId: review.complaintId, updatedAt: review.at })
        .execute();
    },
    async list(options) {
      let q = surveys();
      if (options.status) q = q.where('status', '=', options.status);
      if (options.customerId) q = q.where('customerId', '=', options.customerId);
      const rows = await q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
      const codec = await s.codec();
      return rows.map((r) => toSurvey(codec, r));
    },
    async summary(range) {
      const rows = await s.db
        .selectFrom('surveys')
        .select(['channel', 'status', 'score', 'negative'])
        .where('workspaceId', '=', ws)
        .where('sentAt', '>=', range.from)
        .where('sentAt', '<', range.to)
        .execute();
      const distribution: CsatSummary['distribution'] = [0, 0, 0, 0, 0];
      const channels = new Map<string, { sent: number; answered: number; sum: number }>();
      let answered = 0;
      let sum = 0;
      let satisfied = 0;
      let negative = 0;
      for (const r of rows) {
        const channel = channels.get(r.channel ?? 'unknown') ?? { sent: 0, answered: 0, sum: 0 };
        channels.set(r.channel ?? 'unknown', channel);
        channel.sent++;
        if (r.status !== 'answered' || r.score === null) continue;
        const score = Number(r.score);
        answered++;
        sum += score;
        channel.answered++;
        channel.sum += score;
        distribution[score - 1] = (distribution[score - 1] ?? 0) + 1;
        if (score >= 4) satisfied++;
        if (r.negative !== null && Number(r.negative) === 1) negative++;
      }
      return {
        sent: rows.length,
        answered,
        responseRate: ratio(answered, rows.length),
        averageScore: answered > 0 ? sum / answered : null,
        csat: ratio(satisfied, answered),
        distribution,
        negative,
        byChannel: [...channels.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([channel, c]) => ({
            channel,
            sent: c.sent,
            answered: c.answered,
            averageScore: c.answered > 0 ? c.sum / c.answered : null,
          })),
      };
    },
    async deleteForCustomer(customerId) {
      const deleted = await s.db
        .deleteFrom('surveys')
        .where('workspaceId', '=', ws)
        .where('customerId', '=', customerId)
        .executeTakeFirst();
      const complaints = await s.db
        .deleteFrom('complaints')
        .where('workspaceId', '=', ws)
        .where('customerId', '=', customerId)
        .executeTakeFirst();
      return { surveys: Number(deleted.numDeletedRows), complaints: Number(complaints.numDeletedRows) };
    },
  };
}

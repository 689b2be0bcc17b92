// Quality inspection of one workspace (migration 0033): ruleset versions, one result per conversation or
// call, the review queue and appeals. Results hold where the evidence is, never its words; reviewers'
// comments, appeal reasons and decision notes are sealed with the workspace key.
import type {
  AppealStatus,
  QualityAppeal,
  QualityRepository,
  QualityResult,
  QualityReview,
  QualityRule,
  QualityRuleset,
  QualitySampling,
  QualitySubject,
  QualityViolation,
  ResultFact,
  ReviewReason,
  StoredHit,
} from '@zhike/core';
import { UniqueViolation } from '@zhike/core';
import { sql } from 'kysely';
import { constraintOf, isUniqueViolation } from '../connect.ts';
import { openNullable, type PersonalDataCodec, sealNullable } from '../personalData.ts';
import { parseList, type Scope } from './scope.ts';

export interface QualityRulesetsTable {
  workspaceId: string;
  version: number;
  rules: string;
  sampling: string;
  createdAt: string;
  createdBy: string | null;
}

export interface QualityResultsTable {
  id: string;
  workspaceId: string;
  subject: string;
  subjectId: string;
  conversationId: string;
  customerId: string;
  agentId: string | null;
  channel: string;
  score: number;
  adjustedScore: number | null;
  effectiveScore: number;
  violations: string;
  ruleIds: string;
  hits: string;
  rulesetVersion: number;
  endedAt: string;
  scoredAt: string;
}

export interface QualityReviewsTable {
  id: string;
  workspaceId: string;
  resultId: string;
  reason: string;
  status: string;
  reviewerId: string | null;
  reviewerScore: number | null;
  comment: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

export interface QualityAppealsTable {
  id: string;
  workspaceId: string;
  resultId: string;
  agentId: string;
  reason: string;
  status: string;
  pendingKey: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  adjustedScore: number | null;
  createdAt: string;
}

const REVIEW_COMMENT_FIELD = 'quality_reviews.comment';
const APPEAL_REASON_FIELD = 'quality_appeals.reason';
const APPEAL_NOTE_FIELD = 'quality_appeals.note';

const nullableNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toResult(r: QualityResultsTable): QualityResult {
  return {
    id: r.id,
    subject: r.subject as QualitySubject,
    subjectId: r.subjectId,
    conversationId: r.conversationId,
    customerId: r.customerId,
    agentId: r.agentId,
    channel: r.channel,
    score: Number(r.score),
    adjustedScore: nullableNumber(r.adjustedScore),
    violations: parseList<QualityViolation>(r.violations),
    hits: parseList<StoredHit>(r.hits),
    rulesetVersion: Number(r.rulesetVersion),
    endedAt: r.endedAt,
    scoredAt: r.scoredAt,
  };
}

const toReview = (codec: PersonalDataCodec, r: QualityReviewsTable): QualityReview => ({
  id: r.id,
  resultId: r.resultId,
  reason: r.reason as ReviewReason,
  status: r.status as QualityReview['status'],
  reviewerId: r.reviewerId,
  reviewerScore: nullableNumber(r.reviewerScore),
  comment: openNullable(codec, r.comment, REVIEW_COMMENT_FIELD),
  createdAt: r.createdAt,
  reviewedAt: r.reviewedAt,
});

const toAppeal = (codec: PersonalDataCodec, r: QualityAppealsTable): QualityAppeal => ({
  id: r.id,
  resultId: r.resultId,
  agentId: r.agentId,
  reason: codec.open(r.reason, APPEAL_REASON_FIELD),
  status: r.status as AppealStatus,
  decidedBy: r.decidedBy,
  decidedAt: r.decidedAt,
  note: openNullable(codec, r.note, APPEAL_NOTE_FIELD),
  adjustedScore: nullableNumber(r.adjustedScore),
  createdAt: r.createdAt,
});

function toRuleset(r: QualityRulesetsTable): QualityRuleset {
  return {
    version: Number(r.version),
    rules: parseList<QualityRule>(r.rules),
    sampling: JSON.parse(r.sampling) as QualitySampling,
    updatedAt: r.createdAt,
    updatedBy: r.createdBy,
  };
}

export function qualityRepository(s: Scope): QualityRepository {
  const ws = s.workspaceId;
  const currentRuleset = () =>
    s.db
      .selectFrom('qualityRulesets')
      .selectAll()
      .where('workspaceId', '=', ws)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  const resultRow = (id: string) =>
    s.db
      .selectFrom('qualityResults')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('id', '=', id)
      .executeTakeFirst();

  const getReview = async (id: string) => {
    const row = await s.db
      .selectFrom('qualityReviews')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toReview(await s.codec(), row) : null;
  };
  const getAppeal = async (id: string) => {
    const row = await s.db
      .selectFrom('qualityAppeals')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toAppeal(await s.codec(), row) : null;
  };

  return {
    rulesets: {
      async current() {
        const row = await currentRuleset();
        return row ? toRuleset(row) : null;
      },
      async save({ rules, sampling, at, by }) {
        // Two supervisors saving at once: the second finds its version taken and takes the next.
        for (let attempt = 0; ; attempt++) {
          const version = Number((await currentRuleset())?.version ?? 0) + 1;
          const row: QualityRulesetsTable = {
            workspaceId: ws,
            version,
            rules: JSON.stringify(rules),
            sampling: JSON.stringify(sampling),
            createdAt: at,
            createdBy: by,
          };
          try {
            await s.db.insertInto('qualityRulesets').values(row).execute();
            return toRuleset(row);
          } catch (error) {
            if (!isUniqueViolation(error) || attempt >= 4) throw error;
          }
        }
      },
    },
    results: {
      async upsert(result) {
        const values = {
          conversationId: result.conversationId,
          customerId: result.customerId,
          agentId: result.agentId,
          channel: result.channel,
          score: result.score,
          adjustedScore: null,
          effectiveScore: result.score,
          violations: JSON.stringify(result.violations),
          ruleIds: ` ${result.violations.map((v) => v.ruleId).join(' ')} `,
          hits: JSON.stringify(result.hits),
          rulesetVersion: result.rulesetVersion,
          endedAt: result.endedAt,
          scoredAt: result.scoredAt,
        };
        await s.db
          .insertInto('qualityResults')
          .values({
            id: s.newId(),
            workspaceId: ws,
            subject: result.subject,
            subjectId: result.subjectId,
            ...values,
          })
          .onConflict((oc) => oc.columns(['workspaceId', 'subject', 'subjectId']).doUpdateSet(values))
          .execute();
        const row = await s.db
          .selectFrom('qualityResults')
          .selectAll()
          .where('workspaceId', '=', ws)
          .where('subject', '=', result.subject)
          .where('subjectId', '=', result.subjectId)
          .executeTakeFirstOrThrow();
        return toResult(row);
      },
      async get(id) {
        const row = await resultRow(id);
        return row ? toResult(row) : null;
      },
      async forSubject(subject, subjectId) {
        const row = await s.db
          .selectFrom('qualityResults')
          .selectAll()
          .where('workspaceId', '=', ws)
          .where('subject', '=', subject)
          .where('subjectId', '=', subjectId)
          .executeTakeFirst();
        return row ? toResult(row) : null;
      },
      async list(f) {
        let q = s.db.selectFrom('qualityResults').selectAll().where('workspaceId', '=', ws);
        if (f.from) q = q.where('endedAt', '>=', f.from);
        if (f.to) q = q.where('endedAt', '<', f.to);
        if (f.agentId) q = q.where('agentId', '=', f.agentId);
        if (f.subject) q = q.where('subject', '=', f.subject);
        if (f.maxScore !== undefined) q = q.where('effectiveScore', '<=', f.maxScore);
        if (f.ruleId) {
          // A plain substring search (not LIKE, where _ in a rule id would match any character).
          const position = s.dialect === 'postgres' ? sql`strpos` : sql`instr`;
          q = q.where(sql<boolean>`${position}(rule_ids, ${` ${f.ruleId} `}) > 0`);
        }
        if (f.before) {
          const anchor = await resultRow(f.before);
          if (anchor)
            q = q.where((eb) =>
              eb.or([
                eb('scoredAt', '<', anchor.scoredAt),
                eb.and([eb('scoredAt', '=', anchor.scoredAt), eb('id', '<', anchor.id)]),
              ]),
            );
        }
        const rows = await q.orderBy('scoredAt', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
        return rows.map(toResult);
      },
      async facts(from, to, agentId) {
        let q = s.db
          .selectFrom('qualityResults')
          .select(['agentId', 'subject', 'score', 'adjustedScore', 'violations', 'endedAt'])
          .where('workspaceId', '=', ws)
          .where('endedAt', '>=', from)
          .where('endedAt', '<', to);
        if (agentId) q = q.where('agentId', '=', agentId);
        const rows = await q.orderBy('endedAt').execute();
        return rows.map(
          (r): ResultFact => ({
            agentId: r.agentId,
            subject: r.subject as QualitySubject,
            score: Number(r.score),
            adjustedScore: nullableNumber(r.adjustedScore),
            violations: parseList<QualityViolation>(r.violations),
            endedAt: r.endedAt,
          }),
        );
      },
      async setAdjustedScore(id, score) {
        const row = await resultRow(id);
        if (!row) return;
        await s.db
          .updateTable('qualityResults')
          .set({ adjustedScore: score, effectiveScore: score ?? Number(row.score) })
          .where('workspaceId', '=', ws)
          .where('id', '=', id)
          .execute();
      },
    },
    reviews: {
      async enqueue(review) {
        const inserted = await s.db
          .insertInto('qualityReviews')
          .values({
            id: review.id,
            workspaceId: ws,
            resultId: review.resultId,
            reason: review.reason,
            status: 'pending',
            reviewerId: null,
            reviewerScore: null,
            comment: null,
            createdAt: review.createdAt,
            reviewedAt: null,
          })
          .onConflict((oc) => oc.columns(['workspaceId', 'resultId']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return inserted !== undefined;
      },
      get: getReview,
      async forResult(resultId) {
        const row = await s.db
          .selectFrom('qualityReviews')
          .selectAll()
          .where('workspaceId', '=', ws)
          .where('resultId', '=', resultId)
          .executeTakeFirst();
        return row ? toReview(await s.codec(), row) : null;
      },
      async list({ status, limit }) {
        let q = s.db.selectFrom('qualityReviews').selectAll().where('workspaceId', '=', ws);
        if (status) q = q.where('status', '=', status);
        const rows = await q.orderBy('createdAt').orderBy('id').limit(limit).execute();
        const codec = await s.codec();
        return rows.map((r) => toReview(codec, r));
      },
      async complete(id, input) {
        const codec = await s.codec();
        const updated = await s.db
          .updateTable('qualityReviews')
          .set({
            status: 'done',
            reviewerId: input.reviewerId,
            reviewerScore: input.score,
            comment: sealNullable(codec, input.comment, REVIEW_COMMENT_FIELD),
            reviewedAt: input.at,
          })
          .where('workspaceId', '=', ws)
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return null;
        return getReview(id);
      },
    },
    appeals: {
      async create(appeal) {
        const codec = await s.codec();
        // The pending key is unique: of two appeals filed at once, the second is refused.
        await s.db
          .insertInto('qualityAppeals')
          .values({
            id: appeal.id,
            workspaceId: ws,
            resultId: appeal.resultId,
            agentId: appeal.agentId,
            reason: codec.seal(appeal.reason, APPEAL_REASON_FIELD),
            status: 'pending',
            pendingKey: appeal.resultId,
            decidedBy: null,
            decidedAt: null,
            note: null,
            adjustedScore: null,
            createdAt: appeal.createdAt,
          })
          .execute()
          .catch((error: unknown) => {
            throw isUniqueViolation(error) ? new UniqueViolation(constraintOf(error)) : error;
          });
        return {
          ...appeal,
          status: 'pending',
          decidedBy: null,
          decidedAt: null,
          note: null,
          adjustedScore: null,
        };
      },
      get: getAppeal,
      async pendingFor(resultId) {
        const row = await s.db
          .selectFrom('qualityAppeals')
          .selectAll()
          .where('workspaceId', '=', ws)
          .where('pendingKey', '=', resultId)
          .executeTakeFirst();
        return row ? toAppeal(await s.codec(), row) : null;
      },
      async list({ status, agentId, resultId, limit }) {
        let q = s.db.selectFrom('qualityAppeals').selectAll().where('workspaceId', '=', ws);
        if (status) q = q.where('status', '=', status);
        if (resultId) q = q.where('resultId', '=', resultId);
        if (agentId) q = q.where('agentId', '=', agentId);
        const rows = await q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
        const codec = await s.codec();
        return rows.map((r) => toAppeal(codec, r));
      },
      async decide(id, input) {
        const codec = await s.codec();
        const updated = await s.db
          .updateTable('qualityAppeals')
          .set({
            status: input.status,
            pendingKey: null,
            decidedBy: input.by,
            decidedAt: input.at,
            note: sealNullable(codec, input.note, APPEAL_NOTE_FIELD),
            adjustedScore: input.adjustedScore,
          })
          .where('workspaceId', '=', ws)
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return null;
        return getAppeal(id);
      },
    },
  };
}

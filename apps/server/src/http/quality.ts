// Quality inspection (智能质检) over REST: the ruleset (supervisors edit it, everyone scored by it reads
// it), results with their evidence, per-agent scorecards and the workspace summary, the review queue,
// and appeals. Agents see and appeal only their own results; supervisors and owners see everything.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  QualityAppealBody,
  QualityAppealDecisionBody,
  QualityAppealList,
  QualityAppealQuery,
  QualityAppealView as QualityAppealSchema,
  type QualityAppealView,
  QualityRangeQuery,
  QualityResultDetail,
  QualityResultList,
  QualityResultsQuery,
  type QualityResultView,
  QualityReviewBody,
  QualityReviewList,
  QualityReviewQuery,
  QualityReviewView,
  QualityRulesetBody,
  QualityRulesetView,
  QualityScorecards,
  QualitySummaryView,
} from '@zhike/contracts';
import {
  appealResult,
  decideAppeal,
  effectiveScore,
  excerptOf,
  loadTranscript,
  type QualityAppeal,
  type QualityResult,
  type QualityRule,
  rulesetProblems,
  scorecards,
  utterancesOf,
  type WorkspaceStore,
} from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf, userOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import {
  dayOfWorkspace,
  namesOf,
  qualitySummaryOf,
  ruleNamesOf,
  rulesetOf,
} from '../quality/qualityReports.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';
import { rangeOf } from './surveys.ts';

const tags = ['quality'];

const seesTeam = (p: Principal) => p.permissions.has('quality.read_team');
const selfId = (p: Principal) => (p.kind === 'user' ? p.user.id : null);

const resultView = (r: QualityResult, names: Map<string, string>): QualityResultView => ({
  id: r.id,
  subject: r.subject,
  subjectId: r.subjectId,
  conversationId: r.conversationId,
  agentId: r.agentId,
  agentName: r.agentId ? (names.get(r.agentId) ?? null) : null,
  channel: r.channel,
  score: r.score,
  adjustedScore: r.adjustedScore,
  effectiveScore: effectiveScore(r),
  violations: r.violations,
  rulesetVersion: r.rulesetVersion,
  endedAt: r.endedAt,
  scoredAt: r.scoredAt,
});

const appealView = (a: QualityAppeal, names: Map<string, string>): QualityAppealView => ({
  ...a,
  agentName: names.get(a.agentId) ?? null,
});

/** The result if the principal may see it: their own, or anyone's with the team permission. */
async function visibleResult(
  store: WorkspaceStore,
  principal: Principal,
  id: string,
): Promise<QualityResult> {
  const result = await store.quality.results.get(id);
  if (!result || (!seesTeam(principal) && result.agentId !== selfId(principal)))
    throw new HttpProblem('not_found', 'Quality result not found');
  return result;
}

export const qualityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (p: Principal) => ctx.db.forWorkspace(p.workspaceId);

    app.get(
      '/api/v1/quality/ruleset',
      {
        config: { auth: 'session', permission: 'quality.read_own' },
        schema: {
          tags,
          summary: 'The quality ruleset in force (version 0: the default, never saved)',
          response: { 200: QualityRulesetView, ...problems },
        },
      },
      async (request) => rulesetOf(storeOf(principalOf(request))) as Promise<QualityRulesetView>,
    );

    app.put(
      '/api/v1/quality/ruleset',
      {
        config: { auth: 'session', permission: 'quality.manage' },
        schema: {
          tags,
          summary:
            'Save the quality ruleset as a new version (results keep the version they were scored with)',
          body: QualityRulesetBody,
          response: { 200: QualityRulesetView, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const rules = request.body.rules as QualityRule[];
        const found = rulesetProblems(rules, request.body.sampling);
        if (found.length > 0) throw new HttpProblem('validation_failed', found.join('; '));
        const saved = await storeOf(principal).quality.rulesets.save({
          rules,
          sampling: request.body.sampling,
          at: ctx.clock.now().toISOString(),
          by: principal.user.id,
        });
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'quality.ruleset_changed',
          target: { type: 'workspace', id: principal.workspaceId },
          details: {
            version: saved.version,
            rules: rules.length,
            enabled: rules.filter((r) => r.enabled).length,
            randomPercent: saved.sampling.randomPercent,
            reviewBelow: saved.sampling.reviewBelow,
          },
        });
        return saved as QualityRulesetView;
      },
    );

    app.get(
      '/api/v1/quality/results',
      {
        config: { auth: 'session', permission: 'quality.read_own' },
        schema: {
          tags,
          summary: 'Quality results, newest first; agents see their own',
          querystring: QualityResultsQuery,
          response: { 200: QualityResultList, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const q = request.query;
        const agentId = seesTeam(principal) ? q.agentId : (selfId(principal) ?? '-');
        const results = await store.quality.results.list({
          limit: q.limit ?? 50,
          ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
          ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
          ...(agentId ? { agentId } : {}),
          ...(q.subject ? { subject: q.subject } : {}),
          ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
          ...(q.ruleId ? { ruleId: q.ruleId } : {}),
          ...(q.before ? { before: q.before } : {}),
        });
        const names = await namesOf(store);
        return { results: results.map((r) => resultView(r, names)) };
      },
    );

    app.get(
      '/api/v1/quality/results/:id',
      {
        config: { auth: 'session', permission: 'quality.read_own' },
        schema: {
          tags,
          summary: 'A quality result with its evidence highlighted in what was said, its review and appeals',
          params: IdParams,
          response: { 200: QualityResultDetail, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const result = await visibleResult(store, principal, request.params.id);
        // The words come from the messages (unsealed by their repository); an erased customer's are gone.
        const loaded = await loadTranscript(store, result.subject, result.subjectId);
        const lines = loaded
          ? utterancesOf(loaded.transcript).map((u) => ({
              messageId: u.messageId,
              seq: u.seq,
              speaker: u.speaker,
              text: u.text,
              startMs: u.startMs,
              endMs: u.endMs,
            }))
          : [];
        const byMessage = new Map(lines.filter((l) => l.messageId).map((l) => [l.messageId, l.text]));
        const bySeq = new Map(lines.filter((l) => l.seq !== null).map((l) => [l.seq, l.text]));
        const hits = result.hits.map((h) => {
          const text = h.messageId
            ? byMessage.get(h.messageId)
            : h.seq !== null
              ? bySeq.get(h.seq)
              : undefined;
          return { ...h, excerpt: text === undefined ? '' : excerptOf(text, h.match) };
        });
        const [names, ruleset, review, appeals] = await Promise.all([
          namesOf(store),
          rulesetOf(store),
          store.quality.reviews.forResult(result.id),
          store.quality.appeals.list({ resultId: result.id, limit: 50 }),
        ]);
        return {
          result: resultView(result, names),
          hits,
          lines,
          // A reviewer's comment is for supervisors.
          review: review && !seesTeam(principal) ? { ...review, comment: null } : review,
          appeals: appeals.map((a) => appealView(a, names)),
          ruleNames: ruleNamesOf(ruleset),
        };
      },
    );

    app.get(
      '/api/v1/quality/scorecards',
      {
        config: { auth: 'session', permission: 'quality.read_own' },
        schema: {
          tags,
          summary:
            'Per-agent quality scorecards over a period (default: the last 30 days); agents see their own',
          querystring: QualityRangeQuery,
          response: { 200: QualityScorecards, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const { from, to } = rangeOf(request.query, ctx.clock.now());
        const everyone = seesTeam(principal);
        const own = selfId(principal);
        if (!everyone && !own) throw new HttpProblem('forbidden', 'Scorecards are for people');
        const [facts, users, ruleset, dayOf] = await Promise.all([
          store.quality.results.facts(from, to, everyone ? undefined : (own as string)),
          store.users.list(),
          rulesetOf(store),
          dayOfWorkspace(store),
        ]);
        const names = new Map(users.map((u) => [u.id, u.name]));
        const agentIds = everyone
          ? users.filter((u) => u.role === 'agent' || u.role === 'supervisor').map((u) => u.id)
          : [own as string];
        const cards = scorecards(facts, { reviewBelow: ruleset.sampling.reviewBelow, agentIds, dayOf });
        return {
          from,
          to,
          scope: everyone ? ('everyone' as const) : ('self' as const),
          reviewBelow: ruleset.sampling.reviewBelow,
          agents: cards.map((c) => ({ ...c, name: c.agentId ? (names.get(c.agentId) ?? null) : null })),
          ruleNames: ruleNamesOf(ruleset),
        };
      },
    );

    app.get(
      '/api/v1/quality/summary',
      {
        config: { auth: 'session', permission: 'quality.read_team' },
        schema: {
          tags,
          summary: "The workspace's quality over a period (what the weekly review shows)",
          querystring: QualityRangeQuery,
          response: { 200: QualitySummaryView, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const { from, to } = rangeOf(request.query, ctx.clock.now());
        return { from, to, ...(await qualitySummaryOf(store, from, to)) };
      },
    );

    app.get(
      '/api/v1/quality/reviews',
      {
        config: { auth: 'session', permission: 'quality.review' },
        schema: {
          tags,
          summary: 'The review queue: a random sample of results plus every result under the threshold',
          querystring: QualityReviewQuery,
          response: { 200: QualityReviewList, ...problems },
        },
      },
      async (request) => {
        const store = storeOf(principalOf(request));
        const reviews = await store.quality.reviews.list({
          status: request.query.status ?? 'pending',
          limit: request.query.limit ?? 50,
        });
        const names = await namesOf(store);
        const items = [];
        for (const review of reviews) {
          const result = await store.quality.results.get(review.resultId);
          if (result) items.push({ review, result: resultView(result, names) });
        }
        return { reviews: items };
      },
    );

    app.post(
      '/api/v1/quality/reviews/:id',
      {
        config: { auth: 'session', permission: 'quality.review' },
        schema: {
          tags,
          summary: "Record a reviewer's own score and comment for a queued result",
          params: IdParams,
          body: QualityReviewBody,
          response: { 200: QualityReviewView, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const store = storeOf(principal);
        const existing = await store.quality.reviews.get(request.params.id);
        if (!existing) throw new HttpProblem('not_found', 'Review not found');
        const done = await store.quality.reviews.complete(existing.id, {
          reviewerId: principal.user.id,
          score: request.body.score,
          comment: request.body.comment?.trim() || null,
          at: ctx.clock.now().toISOString(),
        });
        if (!done) throw new HttpProblem('conflict', 'This result was already reviewed');
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'quality.reviewed',
          target: { type: 'quality_result', id: existing.resultId },
          details: { reviewId: done.id, score: request.body.score, reason: done.reason },
        });
        return done;
      },
    );

    app.get(
      '/api/v1/quality/appeals',
      {
        config: { auth: 'session', permission: 'quality.read_own' },
        schema: {
          tags,
          summary: 'Appeals, newest first; agents see their own',
          querystring: QualityAppealQuery,
          response: { 200: QualityAppealList, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal);
        const agentId = seesTeam(principal) ? undefined : (selfId(principal) ?? '-');
        const appeals = await store.quality.appeals.list({
          limit: request.query.limit ?? 50,
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(agentId ? { agentId } : {}),
        });
        const names = await namesOf(store);
        return { appeals: appeals.map((a) => appealView(a, names)) };
      },
    );

    app.post(
      '/api/v1/quality/results/:id/appeals',
      {
        config: { auth: 'session', permission: 'quality.appeal' },
        schema: {
          tags,
          summary: 'Appeal a result of your own, with a reason (one open appeal per result)',
          params: IdParams,
          body: QualityAppealBody,
          response: { 201: QualityAppealSchema, ...problems },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const store = storeOf(principal);
        // Another agent's result is as unknown to them as one of another workspace.
        const result = await store.quality.results.get(request.params.id);
        if (!result || result.agentId !== principal.user.id)
          throw new HttpProblem('not_found', 'Quality result not found');
        const { appeal } = await appealResult(
          { store, clock: ctx.clock, newId: ctx.newId },
          { resultId: result.id, agentId: principal.user.id, reason: request.body.reason },
        );
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'quality.appealed',
          target: { type: 'quality_result', id: result.id },
          details: { appealId: appeal.id, score: effectiveScore(result) },
        });
        reply.code(201);
        return appealView(appeal, await namesOf(store));
      },
    );

    app.post(
      '/api/v1/quality/appeals/:id/decision',
      {
        config: { auth: 'session', permission: 'quality.review' },
        schema: {
          tags,
          summary: 'Accept an appeal (setting the score that counts) or reject it',
          params: IdParams,
          body: QualityAppealDecisionBody,
          response: { 200: QualityAppealSchema, ...problems },
        },
      },
      async (request) => {
        const principal = userOf(request);
        const store = storeOf(principal);
        const body = request.body;
        const { appeal, result } = await decideAppeal(
          { store, clock: ctx.clock, newId: ctx.newId },
          {
            appealId: request.params.id,
            decision: body.decision,
            score: body.decision === 'accepted' ? body.score : null,
            note: body.note ?? null,
            by: principal.user.id,
          },
        );
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'quality.appeal_decided',
          target: { type: 'quality_result', id: result.id },
          details: {
            appealId: appeal.id,
            decision: appeal.status,
            from: result.score,
            to: appeal.adjustedScore,
          },
        });
        return appealView(appeal, await namesOf(store));
      },
    );
  };

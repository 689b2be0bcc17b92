// Bot turns (migration 0006) and the analytics read models over them, confined to the scope's workspace.
// Every aggregate is plain SQL that SQLite and PostgreSQL evaluate alike: timestamps are ISO-8601 UTC
// text (ordered as text), local days are half-open [start, end) bounds computed by the caller.
import {
  type BotAnalyticsRange,
  type BotTurnOutcome,
  botTurnOutcomes,
  type ConversationTurn,
  type UnansweredTurn,
  type WorkspaceRepositories,
} from '@zhike/core';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { PersonalDataCodec } from '../personalData.ts';
import type { Scope } from './scope.ts';

export interface BotTurnsTable {
  id: string;
  workspaceId: string;
  conversationId: string;
  customerId: string;
  messageId: string;
  channel: string;
  outcome: string;
  target: string | null;
  targetLabel: string | null;
  /** Thousandths, 0..1000. */
  confidence: number;
  handoffReason: string | null;
  handoffPriority: string | null;
  /** Sealed: the customer's words. */
  question: string;
  at: string;
  dismissedAt: string | null;
}

export const QUESTION_FIELD = 'bot_turns.question';
/** Reasons a hand-off means the bot had no answer (not a request for a human, nor a complaint). */
const NO_ANSWER_REASONS = ['fallback', 'no_answer'];
const TOP_ANSWERS = 10;

const count = (value: unknown): number => Number(value ?? 0);

export function botTurnsRepository(s: Scope): WorkspaceRepositories['botTurns'] {
  const inRange = (range: BotAnalyticsRange) => {
    const first = range.days[0];
    const last = range.days[range.days.length - 1];
    if (!first || !last) throw new RangeError('an analytics range has at least one day');
    return { from: first.start, to: last.end };
  };
  const turns = (range: BotAnalyticsRange) => {
    const { from, to } = inRange(range);
    return s.db
      .selectFrom('botTurns as t')
      .where('t.workspaceId', '=', s.workspaceId)
      .where('t.at', '>=', from)
      .where('t.at', '<', to);
  };

  return {
    async record(turn) {
      // The customer's own key: erasing the customer shreds their questions with everything else of theirs.
      const codec = await s.customerCodec(turn.customerId);
      const inserted = await s.db
        .insertInto('botTurns')
        .values({
          id: s.newId(),
          workspaceId: s.workspaceId,
          conversationId: turn.conversationId,
          customerId: turn.customerId,
          messageId: turn.messageId,
          channel: turn.channel,
          outcome: turn.outcome,
          target: turn.target,
          targetLabel: turn.targetLabel,
          confidence: Math.round(Math.min(1, Math.max(0, turn.confidence)) * 1000),
          handoffReason: turn.handoffReason,
          handoffPriority: turn.handoffPriority,
          question: codec.seal(turn.question, QUESTION_FIELD),
          at: turn.at,
          dismissedAt: null,
        })
        // ON CONFLICT DO NOTHING keeps a PostgreSQL transaction usable after a retried turn.
        .onConflict((oc) => oc.columns(['workspaceId', 'messageId']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async metrics(range) {
      const outcomeRows = await turns(range)
        .select(['t.outcome'])
        .select((eb) => eb.fn.countAll().as('n'))
        .groupBy('t.outcome')
        .execute();
      const outcomes = Object.fromEntries(botTurnOutcomes.map((o) => [o, 0])) as Record<
        BotTurnOutcome,
        number
      >;
      for (const row of outcomeRows)
        if ((botTurnOutcomes as readonly string[]).includes(row.outcome))
          outcomes[row.outcome as BotTurnOutcome] = count(row.n);

      const reasonRows = await turns(range)
        .where('t.outcome', '=', 'handed_off')
        .select((eb) => [
          eb.fn.coalesce('t.handoffReason', sql.lit('unknown')).as('reason'),
          eb.fn.countAll().as('n'),
        ])
        .groupBy('t.handoffReason')
        .execute();
      const handoffReasons = reasonRows
        .map((r) => ({ reason: String(r.reason), count: count(r.n) }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

      const answerRows = await turns(range)
        .where('t.outcome', '=', 'answered')
        .where('t.target', 'is not', null)
        .select((eb) => ['t.target', eb.fn.max('t.targetLabel').as('label'), eb.fn.countAll().as('n')])
        .groupBy('t.target')
        .execute();
      const topAnswers = answerRows
        .map((r) => ({ target: r.target ?? '', label: r.label ?? null, count: count(r.n) }))
        .sort((a, b) => b.count - a.count || a.target.localeCompare(b.target))
        .slice(0, TOP_ANSWERS);

      // Each turn's local day: the days are consecutive, so the first end the turn is before names it.
      const dayOf = sql<string>`case ${sql.join(
        range.days.map((d) => sql`when ${sql.ref('t.at')} < ${d.end} then ${d.day}`),
        sql` `,
      )} end`;
      const bucketed = turns(range).select([dayOf.as('day'), 't.outcome', 't.conversationId']);
      const is = (outcome: BotTurnOutcome) =>
        sql<number>`sum(case when ${sql.ref('b.outcome')} = ${outcome} then 1 else 0 end)`;
      const dayRows = await s.db
        .selectFrom(bucketed.as('b'))
        .select((eb) => [
          'b.day',
          eb.fn.countAll().as('turns'),
          eb.fn.count('b.conversationId').distinct().as('conversations'),
          is('answered').as('answered'),
          is('fallback').as('fallbacks'),
          is('handed_off').as('handoffs'),
        ])
        .groupBy('b.day')
        .execute();
      const byDay = new Map(dayRows.map((r) => [String(r.day), r]));
      const daily = range.days.map(({ day }) => {
        const r = byDay.get(day);
        return {
          day,
          turns: count(r?.turns),
          conversations: count(r?.conversations),
          answered: count(r?.answered),
          fallbacks: count(r?.fallbacks),
          handoffs: count(r?.handoffs),
        };
      });

      // Per conversation the bot worked in: did it end (resolved, or idle), and did humans get involved?
      const perConversation = turns(range)
        .innerJoin('conversations as c', (j) =>
          j.onRef('c.id', '=', 't.conversationId').onRef('c.workspaceId', '=', 't.workspaceId'),
        )
        .select((eb) => [
          't.conversationId as conversationId',
          eb.fn.max('c.status').as('status'),
          eb.fn.max('c.handedOff').as('handedOff'),
          eb.fn.max('c.updatedAt').as('updatedAt'),
          eb.fn.max(eb.case().when('t.outcome', '=', 'handed_off').then(1).else(0).end()).as('botHandoff'),
        ])
        .groupBy('t.conversationId');
      const conversationRow = await s.db
        .selectFrom(perConversation.as('p'))
        .select((eb) => {
          const escalated: Expression<SqlBool> = eb.or([
            eb('p.botHandoff', '=', 1),
            eb('p.handedOff', '=', 1),
            eb.exists(
              eb
                .selectFrom('messages as m')
                .select(sql.lit(1).as('one'))
                .where('m.workspaceId', '=', s.workspaceId)
                .whereRef('m.conversationId', '=', 'p.conversationId')
                .where('m.author', '=', 'agent'),
            ),
          ]);
          const ended = eb.or([eb('p.status', '=', 'resolved'), eb('p.updatedAt', '<', range.idleBefore)]);
          return [
            eb.fn.countAll().as('conversations'),
            eb.fn.sum(eb.case().when(escalated).then(1).else(0).end()).as('escalated'),
            eb.fn
              .sum(
                eb
                  .case()
                  .when(eb.and([eb.not(escalated), ended]))
                  .then(1)
                  .else(0)
                  .end(),
              )
              .as('contained'),
          ];
        })
        .executeTakeFirst();

      return {
        turns: Object.values(outcomes).reduce((a, b) => a + b, 0),
        outcomes,
        conversations: count(conversationRow?.conversations),
        contained: count(conversationRow?.contained),
        escalated: count(conversationRow?.escalated),
        handoffReasons,
        topAnswers,
        daily,
      };
    },

    async unanswered(range, limit) {
      const rows = await turns(range)
        .where('t.dismissedAt', 'is', null)
        .where((eb) =>
          eb.or([
            eb('t.outcome', '=', 'fallback'),
            eb.and([eb('t.outcome', '=', 'handed_off'), eb('t.handoffReason', 'in', NO_ANSWER_REASONS)]),
            eb.and([
              eb('t.outcome', '=', 'clarified'),
              eb.exists(
                eb
                  .selectFrom('botTurns as h')
                  .select(sql.lit(1).as('one'))
                  .where('h.workspaceId', '=', s.workspaceId)
                  .whereRef('h.conversationId', '=', 't.conversationId')
                  .where('h.outcome', '=', 'handed_off')
                  .whereRef('h.at', '>=', 't.at'),
              ),
            ]),
          ]),
        )
        .select(['t.id', 't.conversationId', 't.customerId', 't.question', 't.at'])
        .orderBy('t.at', 'desc')
        .orderBy('t.id', 'desc')
        .limit(limit)
        .execute();
      const codecs = new Map<string, Promise<PersonalDataCodec>>();
      const codecOf = (customerId: string) => {
        let codec = codecs.get(customerId);
        if (!codec) {
          codec = s.customerCodec(customerId);
          codecs.set(customerId, codec);
        }
        return codec;
      };
      const questions: UnansweredTurn[] = [];
      for (const r of rows)
        questions.push({
          id: r.id,
          conversationId: r.conversationId,
          question: (await codecOf(r.customerId)).open(r.question, QUESTION_FIELD),
          at: r.at,
        });
      return questions;
    },

    async firstTarget(conversationId) {
      const row = await s.db
        .selectFrom('botTurns')
        .select('target')
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('target', 'is not', null)
        .orderBy('at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row?.target ?? null;
    },
    async forConversations(conversationIds) {
      if (conversationIds.length === 0) return [];
      const rows = await s.db
        .selectFrom('botTurns')
        .select([
          'conversationId',
          'customerId',
          'messageId',
          'outcome',
          'target',
          'targetLabel',
          'confidence',
          'handoffReason',
          'question',
          'at',
        ])
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', 'in', [...conversationIds])
        .orderBy('at')
        .orderBy('id')
        .execute();
      const codecs = new Map<string, Promise<PersonalDataCodec>>();
      const turns: ConversationTurn[] = [];
      for (const r of rows) {
        let codec = codecs.get(r.customerId);
        if (!codec) {
          codec = s.customerCodec(r.customerId);
          codecs.set(r.customerId, codec);
        }
        turns.push({
          conversationId: r.conversationId,
          messageId: r.messageId,
          outcome: r.outcome,
          target: r.target,
          targetLabel: r.targetLabel,
          confidence: Number(r.confidence) / 1000,
          handoffReason: r.handoffReason,
          question: (await codec).open(r.question, QUESTION_FIELD),
          at: r.at,
        });
      }
      return turns;
    },

    async dismiss(turnIds, at) {
      if (turnIds.length === 0) return 0;
      const result = await s.db
        .updateTable('botTurns')
        .set({ dismissedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', 'in', [...turnIds])
        .where('dismissedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

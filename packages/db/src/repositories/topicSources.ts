// Customers' words over a period for topic mining and the emotion report, confined to the scope's
// workspace: customer messages (sealed with the customer's key) with the bot's target for each, and the
// caller's transcript segments after a voice hand-off (sealed with the workspace key). Keys are listed
// first and only the sampled rows are read and unsealed, so a huge period costs its sample, not its size.
import type { CustomerUtterance, WorkspaceRepositories } from '@zhike/core';
import { MESSAGE_TEXT_FIELD } from './messages.ts';
import type { Scope } from './scope.ts';
import { VOICE_FIELDS } from './voice.ts';

const CHUNK = 250;
/**
 * Between chunks the event loop gets a turn: SQLite answers synchronously, and a report reading thousands
 * of messages must not hold up the messages and calls the server handles meanwhile.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Key {
  source: 'message' | 'call';
  id: string;
  at: string;
}

const evenSample = <T>(items: readonly T[], size: number): T[] => {
  if (items.length <= size) return [...items];
  const out: T[] = [];
  for (let i = 0; i < size; i++) out.push(items[Math.floor((i * items.length) / size)]!);
  return out;
};

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

export function topicSourcesRepository(s: Scope): WorkspaceRepositories['topicSources'] {
  const customerMessages = (range: { from: string; to: string }) =>
    s.db
      .selectFrom('messages')
      .where('workspaceId', '=', s.workspaceId)
      .where('author', '=', 'customer')
      .where('createdAt', '>=', range.from)
      .where('createdAt', '<', range.to);

  /** Caller segments of calls started in the range, spoken after the hand-off (before it, the bot wrote messages). */
  const callerSegmentKeys = async (range: { from: string; to: string }): Promise<Key[]> => {
    const rows = await s.db
      .selectFrom('callTranscriptSegments as g')
      .innerJoin('calls as c', (join) =>
        join.onRef('c.id', '=', 'g.callId').onRef('c.workspaceId', '=', 'g.workspaceId'),
      )
      .select(['g.callId', 'g.seq', 'g.startMs', 'c.startedAt', 'c.handedOffAt'])
      .where('g.workspaceId', '=', s.workspaceId)
      .where('g.speaker', '=', 'caller')
      .where('c.handedOffAt', 'is not', null)
      .where('c.startedAt', '>=', range.from)
      .where('c.startedAt', '<', range.to)
      .execute();
    const keys: Key[] = [];
    for (const r of rows) {
      const at = new Date(Date.parse(r.startedAt) + r.startMs);
      if (Number.isNaN(at.getTime()) || r.handedOffAt === null || at.toISOString() < r.handedOffAt) continue;
      keys.push({ source: 'call', id: `${r.callId}:${r.seq}`, at: at.toISOString() });
    }
    return keys;
  };

  return {
    async stats(range) {
      const row = await customerMessages(range)
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('createdAt').as('last')])
        .executeTakeFirst();
      return { count: Number(row?.n ?? 0), last: (row?.last as string | null | undefined) ?? null };
    },

    async utterances(range, limit) {
      const messageKeys: Key[] = (
        await customerMessages(range).select(['id', 'createdAt']).orderBy('createdAt').orderBy('id').execute()
      ).map((r) => ({ source: 'message', id: r.id, at: r.createdAt }));
      const all = [...messageKeys, ...(await callerSegmentKeys(range))].sort((a, b) =>
        a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1,
      );
      const picked = evenSample(all, Math.max(0, limit));
      const out = new Map<string, CustomerUtterance>();

      for (const ids of chunks(picked.filter((k) => k.source === 'message').map((k) => k.id))) {
        await breathe();
        const rows = await s.db
          .selectFrom('messages as m')
          .innerJoin('conversations as c', (join) =>
            join.onRef('c.id', '=', 'm.conversationId').onRef('c.workspaceId', '=', 'm.workspaceId'),
          )
          .leftJoin('botTurns as t', (join) =>
            join.onRef('t.messageId', '=', 'm.id').onRef('t.workspaceId', '=', 'm.workspaceId'),
          )
          .select([
            'm.id',
            'm.conversationId',
            'm.text',
            'm.createdAt',
            'c.customerId',
            't.target',
            't.targetLabel',
          ])
          .where('m.workspaceId', '=', s.workspaceId)
          .where('m.id', 'in', ids)
          .execute();
        for (const r of rows) {
          // The customer's codec opens their messages (and older ones sealed with the workspace key).
          const codec = await s.customerCodec(r.customerId);
          out.set(`message:${r.id}`, {
            id: r.id,
            conversationId: r.conversationId,
            customerId: r.customerId,
            text: codec.open(r.text, MESSAGE_TEXT_FIELD),
            at: r.createdAt,
            source: 'message',
            intent: r.target ?? null,
            intentLabel: r.targetLabel ?? null,
          });
        }
      }

      const segments = picked.filter((k) => k.source === 'call');
      if (segments.length > 0) {
        const codec = await s.codec();
        const wanted = new Map(segments.map((k) => [k.id, k.at]));
        for (const callIds of chunks([...new Set(segments.map((k) => k.id.split(':')[0]!))])) {
          await breathe();
          const rows = await s.db
            .selectFrom('callTranscriptSegments as g')
            .innerJoin('calls as c', (join) =>
              join.onRef('c.id', '=', 'g.callId').onRef('c.workspaceId', '=', 'g.workspaceId'),
            )
            .select(['g.callId', 'g.seq', 'g.text', 'c.conversationId', 'c.customerId'])
            .where('g.workspaceId', '=', s.workspaceId)
            .where('g.speaker', '=', 'caller')
            .where('g.callId', 'in', callIds)
            .execute();
          for (const r of rows) {
            const id = `${r.callId}:${r.seq}`;
            const at = wanted.get(id);
            if (at === undefined) continue;
            out.set(`call:${id}`, {
              id,
              conversationId: r.conversationId,
              customerId: r.customerId,
              text: codec.open(r.text, VOICE_FIELDS.segmentText),
              at,
              source: 'call',
              intent: null,
              intentLabel: null,
            });
          }
        }
      }

      // In the sample's order (oldest first); a row erased meanwhile is simply absent.
      const utterances = picked
        .map((k) => out.get(`${k.source}:${k.id}`))
        .filter((u): u is CustomerUtterance => u !== undefined);
      return { total: all.length, utterances };
    },

    async productNames(limit) {
      const rows = await s.db
        .selectFrom('orders')
        .select('items')
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('updatedAt', 'desc')
        .limit(2000)
        .execute();
      const names = new Set<string>();
      for (const r of rows) {
        let items: unknown;
        try {
          items = JSON.parse(r.items);
        } catch {
          continue;
        }
        if (!Array.isArray(items)) continue;
        for (const item of items) {
          const name = (item as { name?: unknown } | null)?.name;
          if (typeof name === 'string' && name.trim().length >= 2) names.add(name.trim());
          if (names.size >= limit) return [...names];
        }
      }
      return [...names];
    },
  };
}

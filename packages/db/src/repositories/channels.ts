// Provider-channel bookkeeping of one workspace: outbound deliveries per message part (with the
// provider's id for status callbacks), email thread references (blind-indexed, since Message-IDs can
// carry addresses) and the sealed channel facts a conversation's replies need.
import {
  advancesDelivery,
  type ChannelsRepository,
  type DeliveryStatus,
  type MessageDelivery,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import type { MessageDeliveriesTable } from '../schema.ts';
import type { Scope } from './scope.ts';

const META_FIELD = 'conversations.channel_meta';

const toDelivery = (r: Selectable<MessageDeliveriesTable>): MessageDelivery => ({
  id: r.id,
  messageId: r.messageId,
  inboxId: r.inboxId,
  part: r.part,
  providerMessageId: r.providerMessageId,
  status: r.status as DeliveryStatus,
  error: r.error,
  attempts: r.attempts,
  passive: r.passive === 1,
  sendingAt: r.sendingAt,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** Large `in (…)` lists are split so neither SQLite's nor PostgreSQL's parameter limit is reached. */
const CHUNK = 500;

export function channelsRepository(s: Scope): ChannelsRepository {
  const refHash = async (ref: string) => (await s.codec()).lookup(ref.trim(), 'text');

  const deliveryOf = async (messageId: string, part: number) => {
    const row = await s.db
      .selectFrom('messageDeliveries')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('messageId', '=', messageId)
      .where('part', '=', part)
      .executeTakeFirst();
    return row ? toDelivery(row) : null;
  };

  return {
    deliveries: {
      async forMessages(messageIds) {
        const out = new Map<string, MessageDelivery[]>();
        for (let i = 0; i < messageIds.length; i += CHUNK) {
          const chunk = messageIds.slice(i, i + CHUNK);
          if (chunk.length === 0) continue;
          const rows = await s.db
            .selectFrom('messageDeliveries')
            .selectAll()
            .where('workspaceId', '=', s.workspaceId)
            .where('messageId', 'in', chunk)
            .orderBy('messageId')
            .orderBy('part')
            .execute();
          for (const row of rows) {
            const list = out.get(row.messageId) ?? [];
            list.push(toDelivery(row));
            out.set(row.messageId, list);
          }
        }
        return out;
      },
      async record(d) {
        const values = {
          inboxId: d.inboxId,
          providerMessageId: d.providerMessageId,
          status: d.status,
          error: d.error?.slice(0, 1000) ?? null,
          attempts: d.attempts,
          passive: d.passive ? 1 : 0,
          sendingAt: d.sendingAt ?? null,
          updatedAt: d.at,
        };
        await s.db
          .insertInto('messageDeliveries')
          .values({
            id: s.newId(),
            workspaceId: s.workspaceId,
            messageId: d.messageId,
            part: d.part,
            createdAt: d.at,
            ...values,
          })
          .onConflict((oc) => oc.columns(['workspaceId', 'messageId', 'part']).doUpdateSet(values))
          .execute();
        const saved = await deliveryOf(d.messageId, d.part);
        if (!saved) throw new Error('delivery vanished while it was being recorded');
        return saved;
      },
      async markSending(input) {
        await s.db
          .insertInto('messageDeliveries')
          .values({
            id: s.newId(),
            workspaceId: s.workspaceId,
            messageId: input.messageId,
            inboxId: input.inboxId,
            part: input.part,
            providerMessageId: null,
            status: 'queued',
            error: null,
            attempts: 0,
            passive: 0,
            sendingAt: input.at,
            createdAt: input.at,
            updatedAt: input.at,
          })
          .onConflict((oc) =>
            oc.columns(['workspaceId', 'messageId', 'part']).doUpdateSet({ sendingAt: input.at }),
          )
          .execute();
      },
      async applyStatus(input) {
        const row = await s.db
          .selectFrom('messageDeliveries')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('inboxId', '=', input.inboxId)
          .where('providerMessageId', '=', input.providerMessageId)
          .executeTakeFirst();
        if (!row || !advancesDelivery(row.status as DeliveryStatus, input.status)) return null;
        // Conditional on the status read, so two callbacks racing cannot move it backwards.
        const result = await s.db
          .updateTable('messageDeliveries')
          .set({
            status: input.status,
            error: input.status === 'failed' ? (input.error?.slice(0, 1000) ?? null) : null,
            updatedAt: input.at,
          })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', row.id)
          .where('status', '=', row.status)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return null;
        return (await deliveryOf(row.messageId, row.part)) ?? null;
      },
    },
    threads: {
      async find(inboxId, refs) {
        for (const ref of [...refs].reverse()) {
          if (!ref.trim()) continue;
          const row = await s.db
            .selectFrom('channelThreads')
            .select('conversationId')
            .where('workspaceId', '=', s.workspaceId)
            .where('inboxId', '=', inboxId)
            .where('refHash', '=', await refHash(ref))
            .executeTakeFirst();
          if (row) return row.conversationId;
        }
        return null;
      },
      async remember(inboxId, refs, conversationId, at) {
        for (const ref of new Set(refs.map((r) => r.trim()).filter(Boolean))) {
          await s.db
            .insertInto('channelThreads')
            .values({
              workspaceId: s.workspaceId,
              inboxId,
              refHash: await refHash(ref),
              conversationId,
              createdAt: at,
            })
            .onConflict((oc) => oc.columns(['workspaceId', 'inboxId', 'refHash']).doNothing())
            .execute();
        }
      },
    },
    conversationMeta: {
      async get(conversationId) {
        const row = await s.db
          .selectFrom('conversations')
          .select('channelMeta')
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', conversationId)
          .executeTakeFirst();
        if (!row?.channelMeta) return null;
        return JSON.parse((await s.codec()).open(row.channelMeta, META_FIELD)) as Record<string, string>;
      },
      async set(conversationId, meta) {
        await s.db
          .updateTable('conversations')
          .set({ channelMeta: (await s.codec()).seal(JSON.stringify(meta), META_FIELD) })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', conversationId)
          .execute();
      },
    },
  };
}

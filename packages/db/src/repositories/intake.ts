// One workspace's side of the API intake: holding an acknowledged message, sealed with the workspace
// key (it carries the customer's words and identities), and opening it again for the drain.
import type { IntakeRepository, ReceiveCustomerMessageInput } from '@zhike/core';
import type { Scope } from './scope.ts';

const FIELD = 'inbound_intake.payload';

export function intakeRepository(s: Scope): IntakeRepository {
  const findStored = async (inboxId: string, idempotencyKey: string) => {
    const row = await s.db
      .selectFrom('messages')
      .select(['id', 'conversationId'])
      .where('workspaceId', '=', s.workspaceId)
      .where('inboxId', '=', inboxId)
      .where('idempotencyKey', '=', idempotencyKey)
      .executeTakeFirst();
    return row ? { messageId: row.id, conversationId: row.conversationId } : null;
  };
  return {
    findStored,
    async hold({ messageId, input, acceptedAt }) {
      const payload = (await s.codec()).seal(JSON.stringify(input), FIELD);
      const inserted = await s.db
        .insertInto('inboundIntake')
        .values({
          workspaceId: s.workspaceId,
          inboxId: input.inboxId,
          messageId,
          idempotencyKey: input.idempotencyKey,
          payload,
          acceptedAt,
          nextAttemptAt: acceptedAt,
          lastError: null,
        })
        .onConflict((oc) => oc.columns(['inboxId', 'idempotencyKey']).doNothing())
        .returning('messageId')
        .executeTakeFirst();
      if (inserted) return { messageId, duplicate: false };
      const held = await s.db
        .selectFrom('inboundIntake')
        .select('messageId')
        .where('workspaceId', '=', s.workspaceId)
        .where('inboxId', '=', input.inboxId)
        .where('idempotencyKey', '=', input.idempotencyKey)
        .executeTakeFirst();
      if (held) return { messageId: held.messageId, duplicate: true };
      // Gone between the two statements: the drain stored it meanwhile, under the id it was held with.
      const stored = await findStored(input.inboxId, input.idempotencyKey);
      if (!stored) throw new Error('a held message vanished without being stored');
      return { messageId: stored.messageId, duplicate: true };
    },
    async open(payload) {
      return JSON.parse((await s.codec()).open(payload, FIELD)) as ReceiveCustomerMessageInput;
    },
  };
}

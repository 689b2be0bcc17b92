// The audit chain in the audit_log table (append-only by trigger), its head and its purge checkpoints.
import type { AuditCheckpoint, AuditDetails, AuditEntry, AuditStore } from '@zhike/security';
import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from './connect.ts';
import type { AuditLogTable, DB } from './schema.ts';

/** The key of the single global chain in audit_heads. */
const CHAIN = '';

const toEntry = (r: Selectable<AuditLogTable>): AuditEntry => ({
  id: r.id,
  seq: Number(r.seq),
  workspaceId: r.workspaceId,
  at: r.at,
  actor: { type: r.actorType as AuditEntry['actor']['type'], id: r.actorId },
  action: r.action as AuditEntry['action'],
  ...(r.targetType !== null && r.targetId !== null ? { target: { type: r.targetType, id: r.targetId } } : {}),
  details: JSON.parse(r.details) as AuditDetails,
  prevHash: r.prevHash,
  hash: r.hash,
});

export function createAuditStore(db: Kysely<DB>): AuditStore {
  return {
    async last() {
      const row = await db
        .selectFrom('auditLog')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toEntry(row) : null;
    },
    async append(e) {
      try {
        // The head moves with the row or not at all, so a deleted newest row leaves the head pointing past
        // the end of the log.
        return await db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('auditLog')
            .values({
              seq: e.seq,
              id: e.id,
              workspaceId: e.workspaceId,
              at: e.at,
              actorType: e.actor.type,
              actorId: e.actor.id,
              action: e.action,
              targetType: e.target?.type ?? null,
              targetId: e.target?.id ?? null,
              details: JSON.stringify(e.details),
              prevHash: e.prevHash,
              hash: e.hash,
            })
            .onConflict((oc) => oc.column('seq').doNothing())
            .returning('seq')
            .executeTakeFirst();
          if (inserted === undefined) return false;
          await trx
            .insertInto('auditHeads')
            .values({ chain: CHAIN, seq: e.seq, hash: e.hash })
            .onConflict((oc) => oc.column('chain').doUpdateSet({ seq: e.seq, hash: e.hash }))
            .execute();
          return true;
        });
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async head(): Promise<AuditCheckpoint | null> {
      const row = await db
        .selectFrom('auditHeads')
        .select(['seq', 'hash'])
        .where('chain', '=', CHAIN)
        .executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    },
    async page(afterSeq, limit) {
      const rows = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
    async checkpoint(): Promise<AuditCheckpoint | null> {
      const row = await db
        .selectFrom('auditCheckpoints')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    },
    async purgeThrough(checkpoint, createdAt) {
      // The checkpoint first: the append-only trigger lets a row go only once a checkpoint covers it.
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('auditCheckpoints')
          .values({ ...checkpoint, createdAt })
          .execute();
        const result = await trx.deleteFrom('auditLog').where('seq', '<=', checkpoint.seq).executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}

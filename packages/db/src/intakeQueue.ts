// The API channel's intake seen from the drain: the oldest held messages of every workspace, in the
// order they were accepted, and the lease that lets one process at a time drain them (several draining
// at once could store one customer's second message before their first). Workspace-scoped writes and
// sealing are the workspace store's (`intake` repository); this side only moves rows.
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface HeldMessage {
  seq: number;
  workspaceId: string;
  inboxId: string;
  messageId: string;
  /** Sealed with the workspace's key: open it through `forWorkspace(workspaceId).intake.open`. */
  payload: string;
  attempts: number;
}

export function createIntakeQueue(kysely: Kysely<DB>) {
  return {
    /** Up to `limit` held messages due by `now`, oldest accepted first. */
    async due(now: string, limit: number): Promise<HeldMessage[]> {
      const rows = await kysely
        .selectFrom('inboundIntake')
        .select(['seq', 'workspaceId', 'inboxId', 'messageId', 'payload', 'attempts'])
        .where('nextAttemptAt', '<=', now)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },
    /** Forgets messages now stored in their conversations. */
    async remove(seqs: readonly number[]): Promise<void> {
      for (let i = 0; i < seqs.length; i += 500) {
        const chunk = seqs.slice(i, i + 500);
        await kysely.deleteFrom('inboundIntake').where('seq', 'in', chunk).execute();
      }
    },
    /** A message that could not be stored yet is tried again at `retryAt`; it is never dropped. */
    async postpone(seq: number, error: string, retryAt: string): Promise<void> {
      await kysely
        .updateTable('inboundIntake')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          lastError: error.slice(0, 500),
          nextAttemptAt: retryAt,
        }))
        .where('seq', '=', seq)
        .execute();
    },
    /** Messages held now, and when the oldest of them was accepted. */
    async depth(): Promise<{ held: number; oldestAcceptedAt: string | null }> {
      const row = await kysely
        .selectFrom('inboundIntake')
        .select((eb) => [eb.fn.countAll<number | string>().as('held'), eb.fn.min('acceptedAt').as('oldest')])
        .executeTakeFirst();
      return { held: Number(row?.held ?? 0), oldestAcceptedAt: (row?.oldest as string | null) ?? null };
    },
    /**
     * Takes or renews the lease `name` for `owner` until `until`; false while another owner holds it
     * (its `until` is later than `now`). A crashed holder's lease simply runs out.
     */
    async lease(name: string, owner: string, now: string, until: string): Promise<boolean> {
      const result = await kysely
        .insertInto('leases')
        .values({ name, owner, until })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ owner, until })
            .where((eb) => eb.or([eb('leases.until', '<', now), eb('leases.owner', '=', owner)])),
        )
        .returning('owner')
        .executeTakeFirst();
      return result?.owner === owner;
    },
    /** Gives the lease up (a process going down): another process may drain at once. */
    async release(name: string, owner: string): Promise<void> {
      await kysely
        .updateTable('leases')
        .set({ until: '' })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .execute();
    },
  };
}

export type IntakeQueue = ReturnType<typeof createIntakeQueue>;

// The audit chain's head: the last appended entry's seq and hash, moved in the transaction of every
// append, so deleting the newest rows no longer leaves a chain that verifies. One row per chain (the log
// has a single global chain, key ''). Forward-only; identical on SQLite and PostgreSQL.
import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

export const auditHead: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_heads')
      .addColumn('chain', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();

    // Databases that already hold entries start from their newest row (or the checkpoint, if a purge
    // left no row): nothing earlier could have recorded the tail.
    await sql`
      insert into audit_heads (chain, seq, hash)
      select '', seq, hash from (
        select seq, hash from audit_log
        union all
        select seq, hash from audit_checkpoints
      ) candidates
      order by seq desc
      limit 1`.execute(db);

    // The head only moves forward and never goes away, like the log it guards. Someone with owner rights
    // can drop these triggers too; an exported head (`verify({ expectedHead })`) covers that.
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`
        create function zhike_audit_head_forward() returns trigger language plpgsql as $$
        begin
          if tg_op = 'UPDATE' and new.chain = old.chain and new.seq > old.seq then
            return new;
          end if;
          raise exception 'audit_heads only moves forward';
        end $$`.execute(db);
      await sql`
        create trigger audit_heads_forward before update or delete on audit_heads
        for each row execute function zhike_audit_head_forward()`.execute(db);
    } else {
      await sql`
        create trigger audit_heads_forward before update on audit_heads
        when new.chain <> old.chain or new.seq <= old.seq
        begin select raise(abort, 'audit_heads only moves forward'); end`.execute(db);
      await sql`
        create trigger audit_heads_no_delete before delete on audit_heads
        begin select raise(abort, 'audit_heads only moves forward'); end`.execute(db);
    }
  },
};

// Field-encryption keys, the hash-chained audit log, and a sealed copy of identity values (whose `value`
// column becomes a blind index). Forward-only; runs on SQLite and PostgreSQL.
import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

export const security: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('workspace_keys')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      // '' = the workspace's own key; a customer id = that customer's key (crypto-shredding).
      .addColumn('subject_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('master_key_id', 'text', (c) => c.notNull())
      .addColumn('wrapped', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('workspace_keys_pk', ['workspace_id', 'key_id'])
      .addUniqueConstraint('workspace_keys_version', ['workspace_id', 'subject_id', 'purpose', 'version'])
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('workspace_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_log_workspace')
      .on('audit_log')
      .columns(['workspace_id', 'seq'])
      .execute();
    // Written by the retention purge before it deletes: verification then starts from the newest one.
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('customer_identities').addColumn('sealed_value', 'text').execute();

    // Append-only in the database too: no UPDATE ever, DELETE only of rows a checkpoint already covers
    // (the retention purge). Someone with owner rights can drop the trigger; `zhike audit verify` catches that.
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`
        create function zhike_audit_append_only() returns trigger language plpgsql as $$
        begin
          if tg_op = 'DELETE' and old.seq <= (select coalesce(max(seq), 0) from audit_checkpoints) then
            return old;
          end if;
          raise exception 'audit_log is append-only';
        end $$`.execute(db);
      await sql`
        create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function zhike_audit_append_only()`.execute(db);
    } else {
      await sql`
        create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      await sql`
        create trigger audit_log_no_delete before delete on audit_log
        when old.seq > (select coalesce(max(seq), 0) from audit_checkpoints)
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    }
  },
};

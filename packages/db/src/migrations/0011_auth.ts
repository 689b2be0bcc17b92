// Sign-in hardening: agents' emails sealed with a blind index for login lookup, inbox webhook secrets
// sealed, TOTP two-factor state per user, and sessions that remember when they were last used and from
// where (sealed). Forward-only; identical on SQLite and PostgreSQL.
//
// Kysely migrations only see the database, never the master key, so the data half (re-writing existing
// plaintext rows sealed) is `sealAuthData`, which `Database.migrate()` runs right after the schema steps.
// It is idempotent: it only touches rows that are not yet in their sealed form, so it runs on every start
// and also catches rows written by a process that had no master key.
import { type Kysely, type Migration, sql } from 'kysely';
import type { CodecProvider, PersonalDataCodec } from '../personalData.ts';
import type { DB } from '../schema.ts';

export const auth: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('email_index', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_pending_secret', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
    await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
    await db.schema.alterTable('users').addColumn('recovery_codes', 'text').execute();
    // Set when an admin deactivates the account: no sign-in, no session.
    await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
    await db.schema.createIndex('users_email_index').on('users').column('email_index').unique().execute();

    await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('client', 'text').execute();
    await sql`update sessions set last_seen_at = created_at where last_seen_at is null`.execute(db);
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  },
};

/** Key scope of the cross-workspace blind index of agents' emails (login must find the workspace). */
export const DIRECTORY_KEY_SCOPE = '_directory';

export const USER_EMAIL_FIELD = 'users.email';
export const WEBHOOK_SECRET_FIELD = 'inboxes.webhook_secret';

const SEALED = 'zk1:';

export const normaliseEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

/** The login lookup form of an email: a keyed blind index, or the normalised address without keys. */
export const emailIndex = (directory: PersonalDataCodec, email: string): string =>
  directory.lookup(normaliseEmail(email), 'email');

/** A plaintext codec (no master key) leaves values as they are: nothing to re-write then. */
const encrypts = (codec: PersonalDataCodec): boolean => codec.seal('x', 'probe') !== 'x';

/** Seals what migration 0011 found in plaintext. Returns how many rows it re-wrote. */
export async function sealAuthData(
  kysely: Kysely<DB>,
  codecs: CodecProvider,
): Promise<{ users: number; inboxes: number }> {
  let users = 0;
  let inboxes = 0;
  // Keys are loaded only when something may need sealing: on a sealed database this costs two queries,
  // and a process started with the wrong master key reaches the server's own key check (with its
  // clear message) instead of failing here.
  const unsealedUser = await kysely
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('emailIndex', 'is', null), eb('email', 'not like', `${SEALED}%`)]))
    .executeTakeFirst();
  const unsealedInbox = await kysely
    .selectFrom('inboxes')
    .select('id')
    .where('webhookSecret', 'is not', null)
    .where('webhookSecret', 'not like', `${SEALED}%`)
    .executeTakeFirst();
  if (!unsealedUser && !unsealedInbox) return { users, inboxes };
  const directory = await codecs(DIRECTORY_KEY_SCOPE);
  const sealing = encrypts(directory);

  const userRows = await kysely
    .selectFrom('users')
    .select(['id', 'workspaceId', 'email', 'emailIndex'])
    .where((eb) =>
      sealing
        ? eb.or([eb('emailIndex', 'is', null), eb('email', 'not like', `${SEALED}%`)])
        : eb('emailIndex', 'is', null),
    )
    .execute();
  for (const row of userRows) {
    const codec = await codecs(row.workspaceId);
    // A row sealed earlier whose index is missing still has its address inside.
    const email = row.email.startsWith(SEALED) ? codec.open(row.email, USER_EMAIL_FIELD) : row.email;
    await kysely
      .updateTable('users')
      .set({
        email: sealing ? codec.seal(normaliseEmail(email), USER_EMAIL_FIELD) : normaliseEmail(email),
        emailIndex: emailIndex(directory, email),
      })
      .where('id', '=', row.id)
      .execute();
    users++;
  }

  if (sealing) {
    const inboxRows = await kysely
      .selectFrom('inboxes')
      .select(['id', 'workspaceId', 'webhookSecret'])
      .where('webhookSecret', 'is not', null)
      .where('webhookSecret', 'not like', `${SEALED}%`)
      .execute();
    for (const row of inboxRows) {
      const codec = await codecs(row.workspaceId);
      await kysely
        .updateTable('inboxes')
        .set({ webhookSecret: codec.seal(row.webhookSecret!, WEBHOOK_SECRET_FIELD) })
        .where('id', '=', row.id)
        .execute();
      inboxes++;
    }
  }
  return { users, inboxes };
}

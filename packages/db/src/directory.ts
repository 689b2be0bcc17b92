// Lookups that must cross workspaces because they are how a request finds its workspace in the first
// place: login by email, session and API-key tokens, public widget tokens, workspace slugs, seeding,
// and the bots to warm at start. Also the signed-in user's own security state (sessions, two-factor,
// password), always filtered by workspace and user both.
// Everything else goes through a WorkspaceStore.
import type { Faq, Inbox, Locale, Role, User, Workspace } from '@zhike/core';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from './connect.ts';
import {
  DIRECTORY_KEY_SCOPE,
  emailIndex,
  normaliseEmail,
  USER_EMAIL_FIELD,
  WEBHOOK_SECRET_FIELD,
} from './migrations/0011_auth.ts';
import { type CodecProvider, openNullable, type PersonalDataCodec } from './personalData.ts';
import { openSealed, toInbox, toUser } from './repositories/workspace.ts';
import type { DB } from './schema.ts';

export interface SessionRecord {
  id: string;
  userId: string;
  workspaceId: string;
  csrfToken: string;
  createdAt: string;
  /** Absolute expiry, fixed at sign-in. */
  expiresAt: string;
  lastSeenAt: string;
}

export interface SessionClient {
  ip: string;
  userAgent: string;
}

export interface NewSession extends Omit<SessionRecord, 'lastSeenAt'> {
  tokenHash: string;
  client: SessionClient;
}

export interface SessionListing extends SessionRecord {
  client: SessionClient | null;
}

/** Two-factor state of one user. Secrets come back opened (base32); they never leave the server. */
export interface TwoFactorState {
  secret: string | null;
  pendingSecret: string | null;
  lastStep: number | null;
  enabledAt: string | null;
  recoveryCodeHashes: string[];
}

/** Seeds make widget and API inboxes; provider-channel inboxes are created through their own route. */
export type SeedInbox = Omit<Inbox, 'adapter' | 'channelConfig' | 'secretsSet' | 'hookId' | 'enabled'>;

export interface WorkspaceSeed {
  workspace: Workspace;
  owner: User & { passwordHash: string };
  inboxes: SeedInbox[];
  faqs: Faq[];
}

const SESSION_CLIENT_FIELD = 'sessions.client';
const TOTP_FIELD = 'users.totp_secret';

const parseHashes = (json: string | null): string[] => {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

export function createDirectory(kysely: Kysely<DB>, codecs: CodecProvider) {
  const directoryCodec = () => codecs(DIRECTORY_KEY_SCOPE);
  const openEmail = (codec: PersonalDataCodec, stored: string) => openSealed(codec, stored, USER_EMAIL_FIELD);
  const sealUser = async (user: User & { passwordHash: string }) => {
    const codec = await codecs(user.workspaceId);
    return {
      ...user,
      email: codec.seal(normaliseEmail(user.email), USER_EMAIL_FIELD),
      emailIndex: emailIndex(await directoryCodec(), user.email),
    };
  };
  const userColumns = ['id', 'workspaceId', 'email', 'name', 'role', 'createdAt'] as const;

  return {
    async workspaceBySlug(slug: string): Promise<Workspace | null> {
      const row = await kysely
        .selectFrom('workspaces')
        .selectAll()
        .where('slug', '=', slug)
        .executeTakeFirst();
      return row ? { ...row, locale: row.locale as Locale } : null;
    },
    async workspaceById(id: string): Promise<Workspace | null> {
      const row = await kysely.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { ...row, locale: row.locale as Locale } : null;
    },
    /** Workspaces that have a bot, with the locale their bot speaks: what the server warms at start. */
    async botWorkspaces(): Promise<{ id: string; locale: Locale }[]> {
      const rows = await kysely
        .selectFrom('workspaces')
        .innerJoin('botSettings', 'botSettings.workspaceId', 'workspaces.id')
        .select(['workspaces.id', 'workspaces.locale'])
        .orderBy('workspaces.id')
        .execute();
      return rows.map((r) => ({ id: r.id, locale: r.locale as Locale }));
    },
    /** Creates a workspace with its owner, inboxes and FAQ in one transaction; false if the slug exists. */
    async seedWorkspace(seed: WorkspaceSeed): Promise<boolean> {
      // Keys first: on SQLite a key query inside the transaction would wait for its only connection.
      const codec = await codecs(seed.workspace.id);
      const owner = await sealUser({ ...seed.owner, workspaceId: seed.workspace.id });
      try {
        await kysely.transaction().execute(async (trx) => {
          await trx.insertInto('workspaces').values(seed.workspace).execute();
          await trx.insertInto('users').values(owner).execute();
          for (const inbox of seed.inboxes) {
            await trx
              .insertInto('inboxes')
              .values({
                id: inbox.id,
                name: inbox.name,
                channel: inbox.channel,
                widgetToken: inbox.widgetToken,
                webhookUrl: inbox.webhookUrl,
                greeting: inbox.greeting,
                createdAt: inbox.createdAt,
                workspaceId: seed.workspace.id,
                allowedOrigins: JSON.stringify(inbox.allowedOrigins),
                webhookSecret:
                  inbox.webhookSecret === null ? null : codec.seal(inbox.webhookSecret, WEBHOOK_SECRET_FIELD),
              })
              .execute();
          }
          for (const faq of seed.faqs) {
            await trx
              .insertInto('faqs')
              .values({
                id: faq.id,
                workspaceId: seed.workspace.id,
                question: faq.question,
                similar: JSON.stringify(faq.similar),
                answer: faq.answer,
                keywords: JSON.stringify(faq.keywords),
                createdAt: seed.workspace.createdAt,
              })
              .execute();
          }
        });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async addUser(user: User & { passwordHash: string }): Promise<void> {
      await kysely
        .insertInto('users')
        .values(await sealUser(user))
        .execute();
    },
    /** By the email's blind index; the address itself is sealed and never compared in the database. */
    async userForLogin(email: string): Promise<(User & { passwordHash: string; twoFactor: boolean }) | null> {
      const row = await kysely
        .selectFrom('users')
        .select([...userColumns, 'passwordHash', 'totpSecret'])
        .where('emailIndex', '=', emailIndex(await directoryCodec(), email))
        .where('deactivatedAt', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      const codec = await codecs(row.workspaceId);
      return {
        ...toUser({ ...row, email: openEmail(codec, row.email) }),
        passwordHash: row.passwordHash,
        twoFactor: row.totpSecret !== null,
      };
    },
    /** Active users only: a deactivated account has no sessions and cannot finish a sign-in. */
    async userById(id: string): Promise<User | null> {
      const row = await kysely
        .selectFrom('users')
        .select(userColumns)
        .where('id', '=', id)
        .where('deactivatedAt', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      const codec = await codecs(row.workspaceId);
      return toUser({ ...row, email: openEmail(codec, row.email) });
    },
    /** False when there is no such active user in the workspace. */
    async deactivateUser(workspaceId: string, userId: string, at: string): Promise<boolean> {
      const result = await kysely
        .updateTable('users')
        .set({ deactivatedAt: at })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .where('deactivatedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async passwordHash(workspaceId: string, userId: string): Promise<string | null> {
      const row = await kysely
        .selectFrom('users')
        .select('passwordHash')
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return row?.passwordHash ?? null;
    },
    async setPasswordHash(workspaceId: string, userId: string, passwordHash: string): Promise<void> {
      await kysely
        .updateTable('users')
        .set({ passwordHash })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .execute();
    },

    // ── Sessions ────────────────────────────────────────────────────────────────────────────────────
    async createSession(session: NewSession): Promise<void> {
      const codec = await codecs(session.workspaceId);
      await kysely
        .insertInto('sessions')
        .values({
          id: session.id,
          tokenHash: session.tokenHash,
          userId: session.userId,
          workspaceId: session.workspaceId,
          csrfToken: session.csrfToken,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          lastSeenAt: session.createdAt,
          client: codec.seal(JSON.stringify(session.client), SESSION_CLIENT_FIELD),
        })
        .execute();
    },
    async sessionByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
      const row = await kysely
        .selectFrom('sessions')
        .select(['id', 'userId', 'workspaceId', 'csrfToken', 'createdAt', 'expiresAt', 'lastSeenAt'])
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
      return row ? { ...row, lastSeenAt: row.lastSeenAt ?? row.createdAt } : null;
    },
    async touchSession(id: string, at: string): Promise<void> {
      await kysely.updateTable('sessions').set({ lastSeenAt: at }).where('id', '=', id).execute();
    },
    async deleteSession(id: string): Promise<void> {
      await kysely.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async listSessions(workspaceId: string, userId: string): Promise<SessionListing[]> {
      const rows = await kysely
        .selectFrom('sessions')
        .select([
          'id',
          'userId',
          'workspaceId',
          'csrfToken',
          'createdAt',
          'expiresAt',
          'lastSeenAt',
          'client',
        ])
        .where('workspaceId', '=', workspaceId)
        .where('userId', '=', userId)
        .orderBy('createdAt', 'desc')
        .execute();
      const codec = await codecs(workspaceId);
      return rows.map((r) => {
        const client = openNullable(codec, r.client, SESSION_CLIENT_FIELD);
        return {
          ...r,
          lastSeenAt: r.lastSeenAt ?? r.createdAt,
          client: client ? (JSON.parse(client) as SessionClient) : null,
        };
      });
    },
    /**
     * Deletes the user's sessions (one, or all but `keep`); returns the ids that went, so their open
     * sockets can be closed.
     */
    async revokeSessions(
      workspaceId: string,
      userId: string,
      which: { only: string } | { except: string | null },
    ): Promise<string[]> {
      let query = kysely
        .deleteFrom('sessions')
        .where('workspaceId', '=', workspaceId)
        .where('userId', '=', userId);
      if ('only' in which) query = query.where('id', '=', which.only);
      else if (which.except) query = query.where('id', '!=', which.except);
      const rows = await query.returning('id').execute();
      return rows.map((r) => r.id);
    },
    async deleteExpiredSessions(now: string, idleSince: string): Promise<number> {
      const result = await kysely
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expiresAt', '<=', now), eb('lastSeenAt', '<=', idleSince)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    // ── Two-factor ──────────────────────────────────────────────────────────────────────────────────
    async twoFactor(workspaceId: string, userId: string): Promise<TwoFactorState | null> {
      const row = await kysely
        .selectFrom('users')
        .select(['totpSecret', 'totpPendingSecret', 'totpLastStep', 'totpEnabledAt', 'recoveryCodes'])
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!row) return null;
      const codec = await codecs(workspaceId);
      return {
        secret: openNullable(codec, row.totpSecret, TOTP_FIELD),
        pendingSecret: openNullable(codec, row.totpPendingSecret, TOTP_FIELD),
        lastStep: row.totpLastStep === null ? null : Number(row.totpLastStep),
        enabledAt: row.totpEnabledAt,
        recoveryCodeHashes: parseHashes(row.recoveryCodes),
      };
    },
    async setPendingTotp(workspaceId: string, userId: string, secret: string): Promise<void> {
      const codec = await codecs(workspaceId);
      await kysely
        .updateTable('users')
        .set({ totpPendingSecret: codec.seal(secret, TOTP_FIELD) })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .execute();
    },
    /** Promotes the pending secret; false if it changed meanwhile (a second enrolment started). */
    async enableTotp(
      workspaceId: string,
      userId: string,
      input: { pendingSecret: string; step: number; recoveryCodeHashes: string[]; at: string },
    ): Promise<boolean> {
      const codec = await codecs(workspaceId);
      const row = await kysely
        .selectFrom('users')
        .select('totpPendingSecret')
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!row?.totpPendingSecret || codec.open(row.totpPendingSecret, TOTP_FIELD) !== input.pendingSecret)
        return false;
      const result = await kysely
        .updateTable('users')
        .set({
          totpSecret: row.totpPendingSecret,
          totpPendingSecret: null,
          totpLastStep: input.step,
          totpEnabledAt: input.at,
          recoveryCodes: JSON.stringify(input.recoveryCodeHashes),
        })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .where('totpPendingSecret', '=', row.totpPendingSecret)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async disableTotp(workspaceId: string, userId: string): Promise<void> {
      await kysely
        .updateTable('users')
        .set({
          totpSecret: null,
          totpPendingSecret: null,
          totpLastStep: null,
          totpEnabledAt: null,
          recoveryCodes: null,
        })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .execute();
    },
    /**
     * Compare-and-set of the last used step: of two requests (or processes) presenting the same code,
     * exactly one moves the step forward; the other is a replay.
     */
    async claimTotpStep(workspaceId: string, userId: string, step: number): Promise<boolean> {
      const result = await kysely
        .updateTable('users')
        .set({ totpLastStep: step })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', userId)
        .where('totpSecret', 'is not', null)
        .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    /** Removes one recovery code hash if still unused (compare-and-set on the whole list). */
    async consumeRecoveryCode(workspaceId: string, userId: string, codeHash: string): Promise<boolean> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await kysely
          .selectFrom('users')
          .select('recoveryCodes')
          .where('workspaceId', '=', workspaceId)
          .where('id', '=', userId)
          .executeTakeFirst();
        const hashes = parseHashes(row?.recoveryCodes ?? null);
        if (!row?.recoveryCodes || !hashes.includes(codeHash)) return false;
        const result = await kysely
          .updateTable('users')
          .set({ recoveryCodes: JSON.stringify(hashes.filter((h) => h !== codeHash)) })
          .where('workspaceId', '=', workspaceId)
          .where('id', '=', userId)
          .where('recoveryCodes', '=', row.recoveryCodes)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) return true;
      }
      return false;
    },

    async apiKeyByHash(keyHash: string): Promise<{ id: string; workspaceId: string } | null> {
      const row = await kysely
        .selectFrom('apiKeys')
        .select(['id', 'workspaceId'])
        .where('keyHash', '=', keyHash)
        .executeTakeFirst();
      return row ?? null;
    },
    async touchApiKey(id: string, at: string): Promise<void> {
      await kysely.updateTable('apiKeys').set({ lastUsedAt: at }).where('id', '=', id).execute();
    },
    async inboxByWidgetToken(token: string): Promise<Inbox | null> {
      const row = await kysely
        .selectFrom('inboxes')
        .selectAll()
        .where('widgetToken', '=', token)
        .executeTakeFirst();
      return row ? toInbox(row, await codecs(row.workspaceId)) : null;
    },
    /** The provider-channel inbox whose public webhook path is `/hooks/<hookId>`. */
    async inboxByHookId(hookId: string): Promise<Inbox | null> {
      const row = await kysely
        .selectFrom('inboxes')
        .selectAll()
        .where('hookId', '=', hookId)
        .executeTakeFirst();
      return row ? toInbox(row, await codecs(row.workspaceId)) : null;
    },
    /**
     * Every enabled inbox served by one adapter, in any workspace, oldest first: the email listener looks
     * up which inbox a recipient address belongs to, and the first inbox to claim an address keeps it.
     */
    async channelInboxes(adapter: string): Promise<Inbox[]> {
      const rows = await kysely
        .selectFrom('inboxes')
        .selectAll()
        .where('adapter', '=', adapter)
        .where('disabledAt', 'is', null)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      const out: Inbox[] = [];
      for (const row of rows) out.push(toInbox(row, await codecs(row.workspaceId)));
      return out;
    },
    /** Whose survey a public survey link's token (by its hash) is; the workspace store does the rest. */
    async surveyByTokenHash(tokenHash: string): Promise<{ workspaceId: string; surveyId: string } | null> {
      const row = await kysely
        .selectFrom('surveys')
        .select(['workspaceId', 'id'])
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
      return row ? { workspaceId: row.workspaceId, surveyId: row.id } : null;
    },
    async hasRole(workspaceId: string, role: Role): Promise<boolean> {
      const row = await kysely
        .selectFrom('users')
        .select('id')
        .where('workspaceId', '=', workspaceId)
        .where('role', '=', role)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;

// Lookups that must cross workspaces because they are how a request finds its workspace in the first
// place: login by email, session and API-key tokens, public widget tokens, workspace slugs, seeding,
// and the bots to warm at start.
// Everything else goes through a WorkspaceStore.
import type { Faq, Inbox, Locale, Role, User, Workspace } from '@zhike/core';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from './connect.ts';
import { toInbox, toUser } from './repositories/workspace.ts';
import type { DB } from './schema.ts';

export interface SessionRecord {
  id: string;
  userId: string;
  workspaceId: string;
  csrfToken: string;
  expiresAt: string;
}

export interface WorkspaceSeed {
  workspace: Workspace;
  owner: User & { passwordHash: string };
  inboxes: Inbox[];
  faqs: Faq[];
}

export function createDirectory(kysely: Kysely<DB>) {
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
      try {
        await kysely.transaction().execute(async (trx) => {
          await trx.insertInto('workspaces').values(seed.workspace).execute();
          await trx
            .insertInto('users')
            .values({ ...seed.owner, workspaceId: seed.workspace.id })
            .execute();
          for (const inbox of seed.inboxes) {
            await trx
              .insertInto('inboxes')
              .values({
                ...inbox,
                workspaceId: seed.workspace.id,
                allowedOrigins: JSON.stringify(inbox.allowedOrigins),
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
      await kysely.insertInto('users').values(user).execute();
    },
    async userForLogin(email: string): Promise<(User & { passwordHash: string }) | null> {
      const row = await kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return row ? { ...toUser(row), passwordHash: row.passwordHash } : null;
    },
    async userById(id: string): Promise<User | null> {
      const row = await kysely
        .selectFrom('users')
        .select(['id', 'workspaceId', 'email', 'name', 'role', 'createdAt'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async createSession(session: SessionRecord & { tokenHash: string; createdAt: string }): Promise<void> {
      await kysely.insertInto('sessions').values(session).execute();
    },
    async sessionByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
      const row = await kysely
        .selectFrom('sessions')
        .select(['id', 'userId', 'workspaceId', 'csrfToken', 'expiresAt'])
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
      return row ?? null;
    },
    async deleteSession(id: string): Promise<void> {
      await kysely.deleteFrom('sessions').where('id', '=', id).execute();
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
      return row ? toInbox(row) : null;
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

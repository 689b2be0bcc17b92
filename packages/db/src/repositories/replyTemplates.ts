// Reply templates (canned replies, issue 7), scoped to one workspace. Shop content: stored as written.
import type { Locale, ReplyTemplate, ReplyTemplatesRepository } from '@zhike/core';
import type { Selectable } from 'kysely';
import { isUniqueViolation } from '../connect.ts';
import type { ReplyTemplatesTable } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

const toTemplate = (r: Selectable<ReplyTemplatesTable>): ReplyTemplate => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  intents: parseList<string>(r.intents),
  compliance: Number(r.compliance) === 1,
  locale: (r.locale === 'en-US' ? 'en-US' : 'zh-CN') satisfies Locale,
  source: r.source,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  archivedAt: r.archivedAt,
});

export function replyTemplatesRepository(s: Scope): ReplyTemplatesRepository {
  const rows = () => s.db.selectFrom('replyTemplates').selectAll().where('workspaceId', '=', s.workspaceId);
  const get = async (id: string) => {
    const row = await rows().where('id', '=', id).executeTakeFirst();
    return row ? toTemplate(row) : null;
  };
  const liveShortcuts = async () =>
    new Set(
      (
        await s.db
          .selectFrom('replyTemplates')
          .select('shortcut')
          .where('workspaceId', '=', s.workspaceId)
          .where('archivedAt', 'is', null)
          .execute()
      ).map((r) => r.shortcut),
    );
  /** Inserts unless a live template holds the shortcut; false then (also when a racing writer won). */
  const insert = async (t: Omit<ReplyTemplate, 'archivedAt'>): Promise<boolean> => {
    try {
      const inserted = await s.db
        .insertInto('replyTemplates')
        .values({
          id: t.id,
          workspaceId: s.workspaceId,
          shortcut: t.shortcut,
          title: t.title,
          body: t.body,
          intents: JSON.stringify(t.intents),
          compliance: t.compliance ? 1 : 0,
          locale: t.locale,
          source: t.source,
          createdBy: t.createdBy,
          createdAt: t.createdAt,
          updatedAt: t.updatedAt,
          archivedAt: null,
        })
        .onConflict((oc) =>
          oc.columns(['workspaceId', 'shortcut']).where('archivedAt', 'is', null).doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  };

  return {
    async list(options) {
      let query = rows();
      if (!options?.includeArchived) query = query.where('archivedAt', 'is', null);
      const all = (await query.orderBy('shortcut').orderBy('id').execute()).map(toTemplate);
      // Archived ones after the live ones, so a shortcut that was reused reads in order.
      return [...all.filter((t) => t.archivedAt === null), ...all.filter((t) => t.archivedAt !== null)];
    },
    get,
    async findByShortcut(shortcut) {
      const row = await rows()
        .where('shortcut', '=', shortcut)
        .where('archivedAt', 'is', null)
        .executeTakeFirst();
      return row ? toTemplate(row) : null;
    },
    async create(template) {
      return (await insert({ ...template, source: null })) ? get(template.id) : null;
    },
    async update(id, input, at) {
      try {
        const result = await s.db
          .updateTable('replyTemplates')
          .set({
            shortcut: input.shortcut,
            title: input.title,
            body: input.body,
            intents: JSON.stringify(input.intents),
            compliance: input.compliance ? 1 : 0,
            locale: input.locale,
            source: null,
            updatedAt: at,
          })
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .where('archivedAt', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return 'not_found';
      } catch (error) {
        if (isUniqueViolation(error)) return 'shortcut_taken';
        throw error;
      }
      return (await get(id)) ?? 'not_found';
    },
    async archive(id, at) {
      const result = await s.db
        .updateTable('replyTemplates')
        .set({ archivedAt: at, updatedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('archivedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? get(id) : null;
    },
    async seedTemplateReplies(key, replies, at) {
      const seeded = await rows().select('id').where('source', '=', key).executeTakeFirst();
      if (seeded) return false;
      // The previous template's replies nobody edited give way, archived ones too: they were never the shop's.
      await s.db
        .deleteFrom('replyTemplates')
        .where('workspaceId', '=', s.workspaceId)
        .where('source', 'is not', null)
        .execute();
      const taken = await liveShortcuts();
      for (const reply of replies) {
        if (taken.has(reply.shortcut)) continue;
        taken.add(reply.shortcut);
        await insert({ ...reply, source: key, createdBy: null, createdAt: at, updatedAt: at });
      }
      return true;
    },
  };
}

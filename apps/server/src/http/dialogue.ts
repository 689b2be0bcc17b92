// The dialogue editor's API (issue 4): the workspace's intents and forms as its bot runs them (template +
// the owner's overrides), saving overrides as a new version (refused when someone saved in between), the
// versions, and restoring one. The bot picks a new version up on its next turn (its cache keys on it).
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ACTION_PLACEHOLDERS,
  type BotTemplate,
  checkDialogueOverrides,
  type DialogueOverrides,
  effectiveDialogue,
} from '@zhike/bot';
import {
  type DialogueOverrides as DialogueOverridesDto,
  DialogueVersionList,
  DialogueVersionParams,
  DialogueView,
  type DialogueView as DialogueViewDto,
  SaveDialogueBody,
} from '@zhike/contracts';
import type { DialogueVersion, Locale, WorkspaceStore } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { loadTemplate } from '../bot/templateFiles.ts';
import type { AppContext, Principal } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

// The contract's document and the engine's must stay one shape: this fails to compile if they drift.
const sameShape = (d: DialogueOverridesDto): DialogueOverrides => d;
void sameShape;

interface Editing {
  store: WorkspaceStore;
  templateId: string;
  locale: Locale;
  template: BotTemplate;
}

/** Overrides only count for the template and locale they were written for. */
const overridesOf = (e: Editing, current: DialogueVersion | null): DialogueOverrides =>
  current && current.templateId === e.templateId && current.locale === e.locale
    ? (current.document as DialogueOverrides)
    : {};

function view(e: Editing, current: DialogueVersion | null): DialogueViewDto {
  const overrides = overridesOf(e, current);
  const check = checkDialogueOverrides(e.template, overrides);
  // Overrides that no longer fit the template (it changed since) are shown, not applied; the bot does the same.
  const effective = effectiveDialogue(e.template, check.ok ? overrides : null);
  return {
    templateId: e.templateId,
    locale: e.locale,
    version: current?.version ?? 0,
    overrides,
    intents: effective.intents,
    forms: effective.forms,
    actionPlaceholders: Object.fromEntries(
      Object.entries(ACTION_PLACEHOLDERS).map(([action, names]) => [action, [...names]]),
    ),
    variables: (e.template.variables ?? []).map((v) => v.key),
  };
}

export const dialogueRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const templatesDir = join(ctx.repoRoot, 'templates');

    const editing = async (workspaceId: string): Promise<Editing> => {
      const store = ctx.db.forWorkspace(workspaceId);
      const [workspace, settings] = await Promise.all([store.workspace.get(), store.botSettings.get()]);
      if (!settings) throw new HttpProblem('conflict', 'Set the bot up first: it has no template yet');
      const locale: Locale = workspace.locale === 'en-US' ? 'en-US' : 'zh-CN';
      const template = await loadTemplate(templatesDir, settings.templateId, locale);
      return { store, templateId: settings.templateId, locale, template };
    };

    const save = async (
      principal: Principal,
      e: Editing,
      input: { baseVersion: number; overrides: DialogueOverrides; restoredFrom: number | null },
    ) => {
      const check = checkDialogueOverrides(e.template, input.overrides);
      if (!check.ok)
        throw new HttpProblem(
          'validation_failed',
          'The dialogue overrides are invalid',
          check.problems.map((p) => ({ path: `body/overrides${p.path}`, message: p.message })),
        );
      const saved = await e.store.dialogue.save(
        {
          baseVersion: input.baseVersion,
          templateId: e.templateId,
          locale: e.locale,
          document: input.overrides,
          authorUserId: principal.kind === 'user' ? principal.user.id : null,
          restoredFrom: input.restoredFrom,
        },
        ctx.clock.now().toISOString(),
      );
      if (!saved)
        throw new HttpProblem(
          'conflict',
          'The dialogue was saved by someone else meanwhile: reload it and apply your changes again',
        );
      await recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'bot_dialogue', id: principal.workspaceId },
        details: {
          setting: 'dialogue',
          version: saved.version,
          templateId: e.templateId,
          restoredFrom: input.restoredFrom,
          changedIntents: Object.keys(input.overrides.intents ?? {})
            .sort()
            .join(','),
          customIntents: (input.overrides.customIntents ?? []).length,
          changedForms: Object.keys(input.overrides.forms ?? {})
            .sort()
            .join(','),
        },
      });
      return view(e, saved);
    };

    app.get(
      '/api/v1/bot/dialogue',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: "The workspace's intents and forms as its bot runs them, and the overrides' version",
          response: { 200: DialogueView, ...problems },
        },
      },
      async (request) => {
        const e = await editing(principalOf(request).workspaceId);
        return view(e, await e.store.dialogue.current());
      },
    );

    app.put(
      '/api/v1/bot/dialogue',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'Save the dialogue overrides as a new version (409 when baseVersion is no longer current)',
          body: SaveDialogueBody,
          response: { 200: DialogueView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const e = await editing(principal.workspaceId);
        return save(principal, e, {
          baseVersion: request.body.baseVersion,
          overrides: request.body.overrides,
          restoredFrom: null,
        });
      },
    );

    app.get(
      '/api/v1/bot/dialogue/versions',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'The saved versions of the dialogue overrides, newest first',
          response: { 200: DialogueVersionList, ...problems },
        },
      },
      async (request) => ({
        versions: await ctx.db.forWorkspace(principalOf(request).workspaceId).dialogue.list(100),
      }),
    );

    app.post(
      '/api/v1/bot/dialogue/versions/:versionId/restore',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'Make an older version current again (saved as a new version)',
          params: DialogueVersionParams,
          response: { 200: DialogueView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const e = await editing(principal.workspaceId);
        const old = await e.store.dialogue.get(request.params.versionId);
        if (!old) throw new HttpProblem('not_found', 'No such dialogue version');
        const version = old.version;
        if (old.templateId !== e.templateId || old.locale !== e.locale)
          throw new HttpProblem(
            'conflict',
            `Version ${version} was written for template ${old.templateId} (${old.locale}), not the current one`,
          );
        return save(principal, e, {
          baseVersion: await e.store.dialogue.version(),
          overrides: old.document as DialogueOverrides,
          restoredFrom: version,
        });
      },
    );
  };

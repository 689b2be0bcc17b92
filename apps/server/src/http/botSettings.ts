// Bot settings and the setup wizard: the industry templates to pick from, the workspace's template,
// values, business hours and on/off switch, and the wizard's completion.
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type BotSettingsView as BotSettingsDto,
  BotSettingsView,
  SetupStatus,
  TemplateList,
  UpdateBotSettingsBody,
} from '@zhike/contracts';
import { completeSetup, configureBot, setupStatus, type WorkspaceStore } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { createTemplateCatalogue, declaredKeys } from '../bot/templateCatalogue.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

async function settingsView(store: WorkspaceStore): Promise<BotSettingsDto> {
  const [workspace, settings, setup] = await Promise.all([
    store.workspace.get(),
    store.botSettings.get(),
    store.setup.get(),
  ]);
  const status = setupStatus(setup, settings);
  return {
    configured: settings !== null,
    templateId: settings?.templateId ?? null,
    locale: workspace.locale,
    variables: settings?.variables ?? {},
    businessHours: settings?.businessHours
      ? {
          timeZone: settings.businessHours.timeZone ?? 'Asia/Shanghai',
          periods: settings.businessHours.periods,
        }
      : null,
    orderNumberPattern: settings?.orderNumberPattern ?? null,
    botEnabled: status.botEnabled,
    version: settings?.version ?? 0,
    updatedAt: settings?.updatedAt ?? null,
    setup: status,
  };
}

export const botSettingsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const catalogue = createTemplateCatalogue(join(ctx.repoRoot, 'templates'));
    const deps = (workspaceId: string) => ({
      store: ctx.db.forWorkspace(workspaceId),
      clock: ctx.clock,
      newId: ctx.newId,
    });

    app.get(
      '/api/v1/templates',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'The industry templates a bot can be built from',
          response: { 200: TemplateList, ...problems },
        },
      },
      async () => ({ templates: await catalogue.list() }),
    );

    app.get(
      '/api/v1/bot/settings',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: "The workspace's bot settings and setup status",
          response: { 200: BotSettingsView, ...problems },
        },
      },
      async (request) => settingsView(ctx.db.forWorkspace(principalOf(request).workspaceId)),
    );

    app.put(
      '/api/v1/bot/settings',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'Replace the bot settings (a new version: the bot is rebuilt with them)',
          body: UpdateBotSettingsBody,
          response: { 200: BotSettingsView, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const body = request.body;
        const template = await catalogue.get(body.templateId);
        if (!template)
          throw new HttpProblem('validation_failed', `No industry template ${body.templateId}`, [
            { path: 'body/templateId', message: 'unknown template' },
          ]);
        const result = await configureBot(deps(principal.workspaceId), {
          templateId: body.templateId,
          declaredKeys: declaredKeys(template),
          variables: body.variables,
          businessHours: body.businessHours,
          orderNumberPattern: body.orderNumberPattern,
          botEnabled: body.botEnabled,
        });
        if (!result.ok)
          throw new HttpProblem(
            'validation_failed',
            'The bot settings are invalid',
            result.problems.map((p) => ({ path: `body${p.path}`, message: p.message })),
          );
        const before = result.previous?.variables ?? {};
        const keys = new Set([...Object.keys(before), ...Object.keys(body.variables)]);
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'bot_settings', id: principal.workspaceId },
          // Which values changed, not the values: the log outlives the settings.
          details: {
            setting: 'bot',
            templateId: body.templateId,
            previousTemplateId: result.previous?.templateId ?? null,
            version: result.settings.version,
            botEnabled: body.botEnabled,
            changedVariables: [...keys]
              .filter((k) => before[k] !== body.variables[k])
              .sort()
              .join(','),
          },
        });
        return settingsView(ctx.db.forWorkspace(principal.workspaceId));
      },
    );

    app.get(
      '/api/v1/setup',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'Whether the setup wizard is finished',
          response: { 200: SetupStatus, ...problems },
        },
      },
      async (request) => {
        const store = ctx.db.forWorkspace(principalOf(request).workspaceId);
        return setupStatus(await store.setup.get(), await store.botSettings.get());
      },
    );

    app.post(
      '/api/v1/setup/complete',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags: ['bot'],
          summary: 'Finish the setup wizard (the bot must be configured first)',
          response: { 200: SetupStatus, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = ctx.db.forWorkspace(principal.workspaceId);
        const before = setupStatus(await store.setup.get(), await store.botSettings.get());
        const setup = await completeSetup(deps(principal.workspaceId));
        if (!setup)
          throw new HttpProblem('conflict', 'Choose an industry template and save the bot settings first');
        if (!before.completed)
          await recordAudit(ctx, {
            workspaceId: principal.workspaceId,
            actor: actorOf(principal),
            action: 'settings.changed',
            target: { type: 'workspace', id: principal.workspaceId },
            details: { setting: 'setup', completed: true },
          });
        return setupStatus(setup, await store.botSettings.get());
      },
    );
  };

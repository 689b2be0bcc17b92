// The workspace's people, customers and inboxes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Customer, IdParams, Inbox, InboxList, UpdateInboxBody, UserList } from '@zhike/contracts';
import type { InboxPatch } from '@zhike/core';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { splitChannelConfig } from '../channels/inboxConfig.ts';
import type { AppContext } from '../context.ts';
import { voiceLinesChanged } from '../voice/sipService.ts';
import { customerDto, inboxDto, userDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const directoryRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);
    const seesSecrets = (request: Parameters<typeof principalOf>[0]) =>
      principalOf(request).permissions.has('inboxes.read_secrets');

    app.get(
      '/api/v1/customers/:id',
      {
        config: { auth: 'sessionOrApiKey', permission: 'customers.read' },
        schema: {
          tags: ['customers'],
          summary: 'One customer with identities',
          params: IdParams,
          response: { 200: Customer, ...problems },
        },
      },
      async (request) => {
        const customer = await store(request).customers.get(request.params.id);
        if (!customer) throw new HttpProblem('not_found', 'Customer not found');
        return customerDto(customer);
      },
    );

    app.get(
      '/api/v1/users',
      {
        config: { auth: 'session', permission: 'users.read' },
        schema: {
          tags: ['users'],
          summary: 'People in this workspace',
          response: { 200: UserList, ...problems },
        },
      },
      async (request) => ({ users: (await store(request).users.list()).map(userDto) }),
    );

    app.get(
      '/api/v1/inboxes',
      {
        config: { auth: 'session', permission: 'inboxes.read' },
        schema: {
          tags: ['inboxes'],
          summary: 'Channels of this workspace',
          response: { 200: InboxList, ...problems },
        },
      },
      async (request) => {
        const show = seesSecrets(request);
        return {
          inboxes: (await store(request).inboxes.list()).map((i) => inboxDto(i, show, ctx.config.publicUrl)),
        };
      },
    );

    app.patch(
      '/api/v1/inboxes/:id',
      {
        config: { auth: 'session', permission: 'inboxes.manage' },
        schema: {
          tags: ['inboxes'],
          summary: 'Rename, set allowed origins, webhook or greeting; a channel inbox’s config or on/off',
          description: 'Channel config: secrets left out or empty keep their stored value (write-only).',
          params: IdParams,
          body: UpdateInboxBody,
          response: { 200: Inbox, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const existing = await s.inboxes.get(request.params.id);
        if (!existing) throw new HttpProblem('not_found', 'Inbox not found');
        const { config, ...rest } = request.body;
        const patch: InboxPatch = { ...rest };
        if (config !== undefined || rest.enabled !== undefined) {
          const adapter = existing.adapter ? ctx.channels.get(existing.adapter) : null;
          if (!adapter) throw new HttpProblem('conflict', 'Only channel inboxes have a channel config');
          if (config !== undefined) {
            const split = splitChannelConfig(adapter, config, {
              settings: existing.channelConfig ?? {},
              secrets: await s.inboxes.channelSecrets(existing.id),
            });
            patch.channelConfig = split.settings;
            patch.secrets = split.secrets;
          }
        }
        const inbox = await s.inboxes.update(existing.id, patch);
        if (!inbox) throw new HttpProblem('not_found', 'Inbox not found');
        voiceLinesChanged(ctx.voice, inbox, request.log);
        const principal = principalOf(request);
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'inbox', id: inbox.id },
          // Names of the settings only; values (webhook URLs, greetings, secrets) stay out of the log.
          details: {
            fields: [...Object.keys(rest), ...Object.keys(config ?? {}).map((f) => `config.${f}`)]
              .sort()
              .join(','),
          },
        });
        return inboxDto(inbox, seesSecrets(request), ctx.config.publicUrl);
      },
    );
  };

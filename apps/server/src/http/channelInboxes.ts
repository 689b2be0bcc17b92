// Channel inboxes (SMS, email, WeChat): which adapters this server has, creating an inbox for one with
// its settings and secrets (checked against the adapter's schema; secrets sealed and write-only),
// disabling it, and a test send through the adapter. Updating the config is PATCH /api/v1/inboxes/:id
// (directory.ts), which uses the same splitting and checks.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PermanentSendFailure } from '@zhike/channels';
import {
  ChannelAdapterList,
  CreateChannelInboxBody,
  IdParams,
  Inbox,
  TestSendBody,
  TestSendResult,
} from '@zhike/contracts';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import { adapterContextFor } from '../channels/adapterContext.ts';
import { splitChannelConfig } from '../channels/inboxConfig.ts';
import type { AppContext } from '../context.ts';
import { voiceLinesChanged } from '../voice/sipService.ts';
import { inboxDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/** 32 URL-safe characters from 24 random bytes: the webhook address is as hard to guess as a key. */
export const newHookId = () => randomBytes(24).toString('base64url');

export const channelInboxRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);
    const seesSecrets = (request: Parameters<typeof principalOf>[0]) =>
      principalOf(request).permissions.has('inboxes.read_secrets');

    app.get(
      '/api/v1/channels/adapters',
      {
        config: { auth: 'session', permission: 'inboxes.read' },
        schema: {
          tags: ['inboxes'],
          summary: 'Provider adapters this server can serve inboxes with, and their settings',
          response: { 200: ChannelAdapterList, ...problems },
        },
      },
      async () => ({
        adapters: ctx.channels.list().map((a) => ({
          id: a.id,
          channel: a.channel,
          configSchema: JSON.parse(JSON.stringify(a.configSchema)) as Record<string, unknown>,
          secretFields: [...a.secretFields],
          capabilities: { ...a.capabilities },
        })),
      }),
    );

    app.post(
      '/api/v1/inboxes',
      {
        config: { auth: 'session', permission: 'inboxes.manage' },
        schema: {
          tags: ['inboxes'],
          summary: 'Create a channel inbox (SMS, email, WeChat) served by a provider adapter',
          body: CreateChannelInboxBody,
          response: { 201: Inbox, ...problems },
        },
      },
      async (request, reply) => {
        const adapter = ctx.channels.get(request.body.adapter);
        if (!adapter) throw new HttpProblem('validation_failed', 'Unknown channel adapter');
        if (request.body.channel && request.body.channel !== adapter.channel)
          throw new HttpProblem('validation_failed', `${adapter.id} serves the ${adapter.channel} channel`);
        const { settings, secrets } = splitChannelConfig(adapter, request.body.config, null);
        const principal = principalOf(request);
        const inbox = await store(request).inboxes.create({
          id: ctx.newId(),
          name: request.body.name,
          channel: adapter.channel,
          adapter: adapter.id,
          channelConfig: settings,
          secrets,
          hookId: newHookId(),
          createdAt: ctx.clock.now().toISOString(),
        });
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'inbox', id: inbox.id },
          details: { created: adapter.id, fields: Object.keys(request.body.config).sort().join(',') },
        });
        voiceLinesChanged(ctx.voice, inbox, request.log);
        return reply.code(201).send(inboxDto(inbox, seesSecrets(request), ctx.config.publicUrl));
      },
    );

    app.delete(
      '/api/v1/inboxes/:id',
      {
        config: { auth: 'session', permission: 'inboxes.manage' },
        schema: {
          tags: ['inboxes'],
          summary: 'Disable a channel inbox: its webhook answers 404 and nothing more is sent',
          description: 'Conversations and messages stay; PATCH with enabled=true turns it back on.',
          params: IdParams,
          response: { 200: Inbox, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const existing = await s.inboxes.get(request.params.id);
        if (!existing) throw new HttpProblem('not_found', 'Inbox not found');
        if (!existing.adapter)
          throw new HttpProblem('conflict', 'The web chat and API inboxes are built in and stay');
        const inbox = await s.inboxes.update(existing.id, { enabled: false });
        if (!inbox) throw new HttpProblem('not_found', 'Inbox not found');
        voiceLinesChanged(ctx.voice, inbox, request.log);
        const principal = principalOf(request);
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'inbox', id: inbox.id },
          details: { fields: 'enabled' },
        });
        return inboxDto(inbox, seesSecrets(request), ctx.config.publicUrl);
      },
    );

    app.post(
      '/api/v1/inboxes/:id/test-send',
      {
        config: { auth: 'session', permission: 'inboxes.manage' },
        schema: {
          tags: ['inboxes'],
          summary: 'Send a test message through the channel’s provider to a given address',
          description: 'The provider’s refusal is reported in the answer (ok=false), not as an error.',
          params: IdParams,
          body: TestSendBody,
          response: { 200: TestSendResult, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const inbox = await s.inboxes.get(request.params.id);
        if (!inbox) throw new HttpProblem('not_found', 'Inbox not found');
        const adapter = inbox.adapter ? ctx.channels.get(inbox.adapter) : null;
        if (!adapter) throw new HttpProblem('conflict', 'This inbox has no channel adapter on this server');
        const adapterCtx = await adapterContextFor(s, inbox, {
          clock: ctx.clock,
          http: ctx.channelHttp,
          resolveRelay: ctx.channelRelay,
        });
        try {
          const sent = await adapter.send(adapterCtx, {
            to: request.body.to,
            text: request.body.text,
            idempotencyKey: `test:${ctx.newId()}`,
          });
          return { ok: true, providerMessageId: sent.providerMessageId, status: sent.status, error: null };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          request.log.info(
            { adapter: adapter.id, permanent: error instanceof PermanentSendFailure },
            'test send failed',
          );
          return { ok: false, providerMessageId: null, status: null, error: reason.slice(0, 500) };
        }
      },
    );
  };

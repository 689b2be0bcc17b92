// Reply templates (issue 7, canned replies): every agent lists and searches them and previews one filled
// for a conversation; admins create, edit and archive them. Checked against the workspace's bot (its
// intents and variables) when it has one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  ReplyPreview,
  ReplyPreviewBody,
  ReplyTemplateBody,
  ReplyTemplateList,
  ReplyTemplateListQuery,
  ReplyTemplateOptions,
  ReplyTemplate as ReplyTemplateView,
} from '@zhike/contracts';
import {
  archiveReplyTemplate,
  fillReplyVariables,
  listReplyTemplates,
  REPLY_VARIABLES,
  type ReplyTemplateInput,
  saveReplyTemplate,
} from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext, Principal } from '../context.ts';
import { replyContextFor } from '../replies/replyContext.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['replies'];

export const replyTemplateRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const storeOf = (workspaceId: string) => ctx.db.forWorkspace(workspaceId);
    const now = () => ctx.clock.now().toISOString();
    const userIdOf = (principal: Principal) => (principal.kind === 'user' ? principal.user.id : null);

    /** The workspace's compiled bot, whose intents and variables templates are checked against. */
    const botOf = async (workspaceId: string) => {
      const workspace = await storeOf(workspaceId).workspace.get();
      return ctx.bot.compiled(workspaceId, workspace.locale);
    };

    const audit = (principal: Principal, change: string, id: string) =>
      recordAudit(ctx, {
        workspaceId: principal.workspaceId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'reply_template', id },
        details: { setting: 'replies', change },
      });

    const save = async (principal: Principal, id: string | null, template: ReplyTemplateInput) => {
      const compiled = await botOf(principal.workspaceId);
      const result = await saveReplyTemplate(
        {
          store: storeOf(principal.workspaceId),
          newId: ctx.newId,
          at: now(),
          ...(compiled
            ? {
                known: {
                  intents: new Set(compiled.bot.template.intents.map((i) => i.name)),
                  shopVariables: (compiled.bot.template.variables ?? []).map((v) => v.key),
                },
              }
            : {}),
        },
        { id, template, userId: userIdOf(principal) },
      );
      if (result.ok) return result.template;
      if ('notFound' in result) throw new HttpProblem('not_found', 'No such reply template');
      throw new HttpProblem(
        'validation_failed',
        'The reply template has problems',
        result.problems.map((p) => ({ path: `body/${p.path}`, message: p.message })),
      );
    };

    app.get(
      '/api/v1/reply-templates',
      {
        config: { auth: 'session', permission: 'replies.read' },
        schema: {
          tags,
          summary: 'Reply templates by shortcut, or those matching `q` (closest first)',
          querystring: ReplyTemplateListQuery,
          response: { 200: ReplyTemplateList, ...problems },
        },
      },
      async (request) => {
        const { q, includeArchived, limit } = request.query;
        const templates = await listReplyTemplates(storeOf(principalOf(request).workspaceId), {
          ...(q !== undefined ? { q } : {}),
          ...(includeArchived !== undefined ? { includeArchived } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        return { templates };
      },
    );

    app.get(
      '/api/v1/reply-templates/options',
      {
        config: { auth: 'session', permission: 'replies.read' },
        schema: {
          tags,
          summary: "The variables a template may name and the bot's intents it may answer",
          response: { 200: ReplyTemplateOptions, ...problems },
        },
      },
      async (request) => {
        const compiled = await botOf(principalOf(request).workspaceId);
        const template = compiled?.bot.template;
        return {
          variables: [
            ...REPLY_VARIABLES.map((key) => ({ key, label: null })),
            ...(template?.variables ?? []).map((v) => ({ key: v.key, label: v.label ?? null })),
          ],
          intents: (template?.intents ?? []).map((i) => ({
            id: i.name,
            label: compiled?.bot.describe(i.name)?.title ?? i.description ?? i.name,
          })),
        };
      },
    );

    app.post(
      '/api/v1/reply-templates',
      {
        config: { auth: 'session', permission: 'replies.manage' },
        schema: {
          tags,
          summary: 'Add a reply template',
          body: ReplyTemplateBody,
          response: { 201: Type.Object({ template: ReplyTemplateView }), ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const template = await save(principal, null, request.body);
        await audit(principal, 'template_created', template.id);
        return reply.code(201).send({ template });
      },
    );

    app.put(
      '/api/v1/reply-templates/:id',
      {
        config: { auth: 'session', permission: 'replies.manage' },
        schema: {
          tags,
          summary: 'Edit a reply template (a seeded one becomes the shop’s own)',
          params: IdParams,
          body: ReplyTemplateBody,
          response: { 200: Type.Object({ template: ReplyTemplateView }), ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const template = await save(principal, request.params.id, request.body);
        await audit(principal, 'template_updated', template.id);
        return { template };
      },
    );

    app.delete(
      '/api/v1/reply-templates/:id',
      {
        config: { auth: 'session', permission: 'replies.manage' },
        schema: {
          tags,
          summary: 'Archive a reply template (agents stop seeing it; its shortcut is free again)',
          params: IdParams,
          response: { 200: Type.Object({ template: ReplyTemplateView }), ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const template = await archiveReplyTemplate(
          { store: storeOf(principal.workspaceId), at: now() },
          { id: request.params.id },
        );
        if (!template) throw new HttpProblem('not_found', 'No such reply template');
        await audit(principal, 'template_archived', template.id);
        return { template };
      },
    );

    app.post(
      '/api/v1/conversations/:id/reply-preview',
      {
        config: { auth: 'session', permission: 'replies.read' },
        schema: {
          tags,
          summary: 'A reply template (or text) filled for this conversation, with what is left to complete',
          params: IdParams,
          body: ReplyPreviewBody,
          response: { 200: ReplyPreview, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const store = storeOf(principal.workspaceId);
        let body: string;
        if ('templateId' in request.body) {
          const template = await store.replyTemplates.get(request.body.templateId);
          if (!template || template.archivedAt !== null)
            throw new HttpProblem('not_found', 'No such reply template');
          body = template.body;
        } else body = request.body.body;
        const context = await replyContextFor(ctx, store, {
          conversationId: request.params.id,
          agentId: userIdOf(principal),
        });
        if (!context) throw new HttpProblem('not_found', 'No such conversation');
        const filled = fillReplyVariables(body, context);
        return {
          ...filled,
          order: context.order ? { number: context.order.number, source: context.order.source } : null,
        };
      },
    );
  };

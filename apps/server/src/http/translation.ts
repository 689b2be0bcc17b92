// Live translation (issue 11): the workspace's translation provider, agents' language and glossary
// (secrets write-only, sealed), each conversation's switch, and the daily usage cost metering reads.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ConversationTranslation,
  ConversationTranslationBody,
  TranslationSettings,
  TranslationSettingsBody,
  TranslationUsage,
  TranslationUsageQuery,
} from '@zhike/contracts';
import { TRANSLATION_PROVIDERS, validateTranslationSettings } from '@zhike/providers';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { languageOfLocale } from '../translation/languages.ts';
import { savedTranslationOf } from '../translation/service.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const tags = ['translation'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const translationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);

    const view = async (s: ReturnType<typeof store>): Promise<TranslationSettings> => {
      const stored = await s.languages.settings.get();
      const saved = savedTranslationOf(stored.settings);
      return {
        provider: saved.provider ? { ...saved.provider } : null,
        secretsSet: stored.secretsSet,
        agentLanguage: saved.agentLanguage ?? languageOfLocale((await s.workspace.get()).locale),
        glossary: saved.glossary,
        autoTranslate: saved.autoTranslate,
        updatedAt: stored.updatedAt,
        providers: Object.fromEntries(
          Object.entries(TRANSLATION_PROVIDERS).map(([id, fields]) => [
            id,
            fields.map((f) => ({
              name: f.name,
              type: f.type,
              ...(f.required ? { required: true } : {}),
              ...(f.secret ? { secret: true } : {}),
              ...(f.description ? { description: f.description } : {}),
              ...(f.options ? { options: [...f.options] } : {}),
            })),
          ]),
        ),
      };
    };

    app.get(
      '/api/v1/translation-settings',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary: "The translation provider, the agents' language and the glossary; secrets never returned",
          response: { 200: TranslationSettings, ...problems },
        },
      },
      async (request) => view(store(request)),
    );

    app.put(
      '/api/v1/translation-settings',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary: 'Choose the translation provider (null: off); a blank secret keeps the stored one',
          body: TranslationSettingsBody,
          response: { 200: TranslationSettings, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const body = request.body;
        const stored = await s.languages.settings.get();
        const before = savedTranslationOf(stored.settings);
        let provider: Record<string, unknown> | null = null;
        let secrets: Record<string, string> = {};
        if (body.provider) {
          // Secrets belong to one provider: switching provider drops the old one's.
          const sameProvider = before.provider?.provider === body.provider.provider;
          const kept = sameProvider ? await s.languages.settings.secrets() : {};
          const checked = validateTranslationSettings(body.provider, { storedSecrets: Object.keys(kept) });
          if (!checked.ok)
            throw new HttpProblem(
              'validation_failed',
              checked.errors.map((e) => e.message).join('; '),
              checked.errors.map((e) => ({ path: `/provider/${e.field}`, message: e.message })),
            );
          provider = { ...checked.settings };
          secrets = { ...kept };
          for (const [field, value] of Object.entries(checked.secrets)) if (value) secrets[field] = value;
        }
        const settings = {
          provider,
          agentLanguage: body.agentLanguage === undefined ? before.agentLanguage : body.agentLanguage,
          glossary: body.glossary
            ? [...new Set(body.glossary.map((t) => t.trim()).filter((t) => t.length > 0))]
            : before.glossary,
          autoTranslate: body.autoTranslate ?? before.autoTranslate,
        };
        await s.languages.settings.save({ settings, secrets, at: ctx.clock.now().toISOString() });
        ctx.translation.invalidate(s.workspaceId);
        const principal = principalOf(request);
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'translation.settings_changed',
          target: { type: 'workspace', id: principal.workspaceId },
          // Names only, never a secret's value.
          details: {
            provider: String(provider?.provider ?? ''),
            secrets: Object.keys(secrets).sort().join(','),
            glossary: settings.glossary.length,
          },
        });
        return view(s);
      },
    );

    app.get(
      '/api/v1/translation-usage',
      {
        config: { auth: 'session', permission: 'bot.manage' },
        schema: {
          tags,
          summary: 'Characters translated per day and provider (cache hits counted apart: they cost nothing)',
          querystring: TranslationUsageQuery,
          response: { 200: TranslationUsage, ...problems },
        },
      },
      async (request) => {
        const { from, to } = request.query;
        if (from > to) throw new HttpProblem('validation_failed', '`from` is after `to`');
        return { days: await store(request).languages.usage.list(from, to) };
      },
    );

    app.get(
      '/api/v1/conversations/:id/translation',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags,
          summary: 'Whether the conversation is translated live, and between which languages',
          params: IdParams,
          response: { 200: ConversationTranslation, ...problems },
        },
      },
      async (request) => {
        const state = await ctx.translation.state(principalOf(request).workspaceId, request.params.id);
        if (!state) throw new HttpProblem('not_found', 'Conversation not found');
        return state;
      },
    );

    app.put(
      '/api/v1/conversations/:id/translation',
      {
        config: { auth: 'session', permission: 'conversations.reply' },
        schema: {
          tags,
          summary: 'Switch live translation on or off for the conversation',
          params: IdParams,
          body: ConversationTranslationBody,
          response: { 200: ConversationTranslation, ...problems },
        },
      },
      async (request) => {
        const workspaceId = principalOf(request).workspaceId;
        const current = await ctx.translation.state(workspaceId, request.params.id);
        if (!current) throw new HttpProblem('not_found', 'Conversation not found');
        if (request.body.enabled && !current.available)
          throw new HttpProblem(
            'validation_failed',
            'No translation provider is configured for this workspace',
          );
        const state = await ctx.translation.choose(workspaceId, request.params.id, request.body);
        if (!state) throw new HttpProblem('not_found', 'Conversation not found');
        // Switched on mid-conversation: the customer's recent messages are translated too.
        if (state.enabled) await ctx.translation.translateRecent(workspaceId, request.params.id);
        return state;
      },
    );
  };

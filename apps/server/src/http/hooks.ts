// Provider webhooks: `/hooks/<hookId>` is each channel inbox's public address (SMS vendors, WeChat).
// The body is kept as the exact bytes received, because signatures are computed over them; that parser
// lives only inside this plugin, so the rest of the API still accepts JSON alone. A request whose
// signature the adapter rejects gets 401 and nothing is stored; a body it cannot read gets 400.
import { type InboundHttpRequest, InboundParseError } from '@zhike/channels';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { acceptInbound } from '../channels/acceptInbound.ts';
import { adapterContextFor } from '../channels/adapterContext.ts';
import { publishDelivery } from '../channels/deliveryEvents.ts';
import { watchReplies } from '../channels/passiveReply.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const HookParams = Type.Object({
  hookId: Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});
type HookParams = Type.Static<typeof HookParams>;

/** Providers post small forms, JSON or XML; email with attachments comes over SMTP, not here. */
const HOOK_BODY_LIMIT = 1024 * 1024;

function singleValues(raw: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    // Repeated headers or parameters: the first counts (no provider signs a repeated one).
    out[key] = Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
  }
  return out;
}

export const hookRoutes = (ctx: AppContext) => async (app: FastifyInstance) => {
  const files = ctx.attachments;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: Math.min(HOOK_BODY_LIMIT, ctx.config.bodyLimit) },
    (_request, body, done) => done(null, body),
  );

  const handle = async (request: FastifyRequest<{ Params: HookParams }>, reply: FastifyReply) => {
    const inbox = await ctx.db.directory.inboxByHookId(request.params.hookId);
    const adapter = inbox?.adapter ? ctx.channels.get(inbox.adapter) : null;
    if (!inbox || !inbox.enabled || !adapter)
      throw new HttpProblem('not_found', 'No channel at this address');
    const store = ctx.db.forWorkspace(inbox.workspaceId);
    const adapterCtx = await adapterContextFor(store, inbox, { clock: ctx.clock, http: ctx.channelHttp });
    const inbound: InboundHttpRequest = {
      method: request.method,
      // As the provider called it: signatures (Twilio's) cover the public URL with its query string.
      url: `${ctx.config.publicUrl}${request.url}`,
      headers: singleValues(request.headers),
      query: singleValues(request.query),
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    };
    let verified = false;
    try {
      verified = adapter.verifyInbound ? await adapter.verifyInbound(adapterCtx, inbound) : false;
    } catch (err) {
      // The seam says verification never throws; one that does proves nothing.
      request.log.warn({ err, adapter: adapter.id }, 'channel verification threw');
    }
    if (!verified) throw new HttpProblem('invalid_signature', 'The request is not signed by this channel');

    if (request.method === 'GET') {
      let challenge: ReturnType<NonNullable<typeof adapter.answerChallenge>> = null;
      try {
        challenge = adapter.answerChallenge?.(adapterCtx, inbound) ?? null;
      } catch (err) {
        // A verified but odd challenge (missing echostr) is the caller's mistake, not a server error.
        request.log.warn({ err, adapter: adapter.id }, 'channel challenge failed');
        throw new HttpProblem('malformed_body', 'The challenge could not be answered');
      }
      if (!challenge) throw new HttpProblem('not_found', 'This channel takes no GET requests');
      return reply
        .code(challenge.status)
        .type(challenge.contentType ?? 'text/plain; charset=utf-8')
        .send(challenge.body);
    }
    if (!adapter.parseInbound) throw new HttpProblem('not_found', 'This channel takes no inbound messages');
    let parsed: Awaited<ReturnType<NonNullable<typeof adapter.parseInbound>>>;
    try {
      parsed = await adapter.parseInbound(adapterCtx, inbound);
    } catch (err) {
      if (!(err instanceof InboundParseError))
        request.log.warn({ err, adapter: adapter.id }, 'channel parse failed');
      throw new HttpProblem(
        'malformed_body',
        err instanceof InboundParseError ? err.message : 'The body could not be read',
      );
    }

    const passive = adapter.capabilities.passiveReply && adapter.passiveReply ? adapter.passiveReply : null;
    const watch = passive ? watchReplies(ctx.bus, store, inbox.id) : null;
    try {
      const accepted = await acceptInbound(
        {
          db: ctx.db,
          bus: ctx.bus,
          commands: ctx.commands,
          clock: ctx.clock,
          newId: ctx.newId,
          log: ctx.log,
          files,
        },
        inbox,
        parsed.events,
      );
      const fresh = accepted.messages.filter((m) => !m.duplicate);
      if (watch && passive && fresh.length === 1) {
        const [first] = fresh;
        // Only the bot answers this fast; a conversation with a human is answered later, by the API.
        const botActive = first ? (await store.conversations.get(first.conversationId))?.botActive : false;
        const deadline = Date.now() + ctx.passiveReplyWaitMs;
        const answer = first && botActive ? await watch.next(first.conversationId, deadline) : null;
        const delivered = store.channels.deliveries;
        if (
          first &&
          answer &&
          answer.attachments.length === 0 &&
          answer.text.length > 0 &&
          answer.text.length <= adapter.capabilities.maxTextLength &&
          (await delivered.forMessages([answer.id])).size === 0
        ) {
          const http = passive.call(adapter, adapterCtx, inbound, first.event, { text: answer.text });
          // Recorded before answering: the delivery job sees it and does not send the reply again.
          const recorded = await delivered.record({
            messageId: answer.id,
            inboxId: inbox.id,
            part: 0,
            providerMessageId: null,
            status: 'sent',
            error: null,
            attempts: 1,
            passive: true,
            at: ctx.clock.now().toISOString(),
          });
          await publishDelivery(ctx, store, recorded, recorded.updatedAt);
          return reply
            .code(http.status)
            .type(http.contentType ?? 'text/plain; charset=utf-8')
            .send(http.body);
        }
      }
    } finally {
      watch?.stop();
    }
    const answer = parsed.answer;
    return reply
      .code(answer.status)
      .type(answer.contentType ?? 'text/plain; charset=utf-8')
      .send(answer.body);
  };

  for (const method of ['GET', 'POST'] as const) {
    app.route<{ Params: HookParams }>({
      method,
      url: '/hooks/:hookId',
      config: { auth: 'public' },
      schema: {
        tags: ['channels'],
        summary:
          method === 'GET'
            ? 'A provider verifies a channel inbox’s webhook address (WeChat echostr)'
            : 'A provider delivers customer messages or delivery reports to a channel inbox',
        params: HookParams,
        response: problems,
      },
      handler: handle,
    });
  }
};

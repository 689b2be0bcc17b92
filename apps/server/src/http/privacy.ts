// Data-subject rights over HTTP (PIPL arts. 44–47): a customer's export and erasure, marketing consent,
// the workspace's retention policy, and attachments (upload and streaming download for agents and for
// the widget's visitor). Every export, erasure and change is audited without the personal data itself.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AgentAttachmentParams,
  ATTACHMENT_TYPES,
  AttachmentUploaded,
  AttachmentUploadQuery,
  ConsentList,
  CustomerExport,
  EraseCustomerBody,
  ErasureResult,
  IdParams,
  MAX_ATTACHMENT_BYTES,
  PutConsentBody,
  RetentionPolicy,
  RetentionPolicyBody,
  WidgetAttachmentDownloadQuery,
  WidgetAttachmentQuery,
  WidgetAttachmentUploaded,
} from '@zhike/contracts';
import {
  type AttachmentMetadata,
  type AttachmentRecord,
  type ConsentRecord,
  consentPurposes,
  consentVerdict,
  recordConsent,
  validateRetention,
} from '@zhike/core';
import { BlobStoreError } from '@zhike/providers';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf, userOf } from '../auth/authenticate.ts';
import { verifyVisitorToken } from '../auth/secrets.ts';
import type { AppContext } from '../context.ts';
import { type AttachmentFiles, AttachmentRejected, extensionOf } from '../privacy/attachmentFiles.ts';
import { eraseCustomer } from '../privacy/erasure.ts';
import { authorNames, messageDto, noteDto, widgetMessageDto } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';
import { widgetInbox } from './widgetAccess.ts';

const Binary = Type.Unsafe<unknown>({ description: 'The file bytes (image or PDF)' });

const attachmentDto = (a: AttachmentMetadata) => ({
  id: a.id,
  conversationId: a.conversationId,
  messageId: a.messageId,
  uploadedBy: a.uploadedBy,
  name: a.name,
  mimeType: a.mimeType,
  size: a.size,
  createdAt: a.createdAt,
});

/** Letters, digits and a few marks; no paths, quotes or control characters reach a header or a log. */
export function cleanFileName(raw: string | undefined, fallback: string): string {
  const cleaned = (raw ?? '')
    .replace(/[\p{C}\\/:*?"<>|]+/gu, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return cleaned.length > 0 ? cleaned : fallback;
}

const consentList = (history: ConsentRecord[]): ConsentList => {
  const current = Object.fromEntries(
    consentPurposes.map((purpose) => {
      const verdict = consentVerdict(history, purpose);
      return [purpose, verdict.allowed ? 'granted' : verdict.reason === 'withdrawn' ? 'withdrawn' : null];
    }),
  ) as ConsentList['current'];
  return {
    current,
    history: history.map((c) => ({
      id: c.id,
      purpose: c.purpose,
      status: c.status,
      source: c.source,
      recordedBy: c.recordedBy,
      at: c.at,
    })),
  };
};

function refuse(error: unknown): never {
  if (error instanceof AttachmentRejected)
    throw new HttpProblem(
      error.reason === 'too_large'
        ? 'payload_too_large'
        : error.reason === 'empty'
          ? 'validation_failed'
          : 'unsupported_media_type',
      error.message,
    );
  // The store is down or refuses: the client may try again later; the store's reason goes to the log
  // (as the 503's cause), not to the client.
  if (error instanceof BlobStoreError) {
    const problem = new HttpProblem(
      'unavailable',
      'The file could not be stored just now; try again shortly',
    );
    problem.cause = error;
    throw problem;
  }
  throw error;
}

export const privacyRoutes =
  (ctx: AppContext, files: AttachmentFiles): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Uploads are streamed (never buffered whole): the handler reads the raw request body itself.
    app.addContentTypeParser([...ATTACHMENT_TYPES, 'application/octet-stream'], (_request, payload, done) =>
      done(null, payload),
    );
    const store = (request: FastifyRequest) => ctx.db.forWorkspace(principalOf(request).workspaceId);
    const tooLarge = (request: FastifyRequest) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_ATTACHMENT_BYTES)
        throw new HttpProblem('payload_too_large', `Files may have at most ${MAX_ATTACHMENT_BYTES} bytes`);
    };
    const bodyStream = (request: FastifyRequest) => {
      const body = request.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function')
        throw new HttpProblem(
          'unsupported_media_type',
          'Send the file itself as the body (image/* or application/pdf)',
        );
      return request.raw;
    };
    const sendFile = (reply: FastifyReply, workspaceId: string, a: AttachmentRecord) => {
      const inline = a.mimeType.startsWith('image/');
      const name = encodeURIComponent(a.name);
      return reply
        .header('content-type', a.mimeType)
        .header('content-length', String(a.size))
        .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(files.open(workspaceId, a.id, a.fileKey));
    };

    app.get(
      '/api/v1/customers/:id/export',
      {
        config: { auth: 'session', permission: 'customers.export' },
        schema: {
          tags: ['privacy'],
          summary: 'Everything stored about a customer, as JSON (PIPL art. 45)',
          params: IdParams,
          response: { 200: CustomerExport, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const exported = await store(request).privacy.exportCustomer(request.params.id);
        if (!exported) throw new HttpProblem('not_found', 'Customer not found');
        const names = await authorNames(store(request));
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'customer.exported',
          target: { type: 'customer', id: exported.customer.id },
          details: {
            conversations: exported.conversations.length,
            messages: exported.conversations.reduce((n, c) => n + c.messages.length, 0),
            tickets: exported.tickets.length,
            attachments: exported.attachments.length,
            notes: exported.notes.length,
          },
        });
        reply.header('content-disposition', `attachment; filename="customer-${exported.customer.id}.json"`);
        reply.header('cache-control', 'no-store');
        return {
          exportedAt: ctx.clock.now().toISOString(),
          // Unmasked: the export is the customer's own data handed over in full.
          customer: {
            id: exported.customer.id,
            name: exported.customer.name,
            email: exported.customer.email,
            phone: exported.customer.phone,
            identities: exported.customer.identities.map((i) => ({
              channel: i.kind,
              value: i.value,
              verified: i.verified,
              source: i.source,
            })),
            createdAt: exported.customer.createdAt,
          },
          conversations: exported.conversations.map((c) => ({
            id: c.id,
            channel: c.channel,
            status: c.status,
            createdAt: c.createdAt,
            updatedAt: c.updatedAt,
            purgedAt: c.purgedAt,
            messages: c.messages.map((m) => messageDto(m, names)),
            rating: c.rating,
          })),
          tickets: exported.tickets,
          ticketEntries: exported.ticketEntries,
          callbacks: exported.callbacks,
          consents: consentList(exported.consents).history,
          attachments: exported.attachments.map(attachmentDto),
          notes: exported.notes.map((n) => noteDto(n, names)),
          audit: exported.audit,
        };
      },
    );

    app.post(
      '/api/v1/customers/:id/erase',
      {
        config: { auth: 'session', permission: 'customers.erase' },
        schema: {
          tags: ['privacy'],
          summary:
            'Erase a customer: their rows deleted, their keys destroyed, their files removed (PIPL art. 47)',
          description: 'Irreversible. `confirm` must be the word ERASE (or 删除).',
          params: IdParams,
          body: EraseCustomerBody,
          response: { 200: ErasureResult, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const outcome = await eraseCustomer(
          ctx,
          files,
          {
            workspaceId: principal.workspaceId,
            customerId: request.params.id,
            actor: actorOf(principal),
          },
          ctx.voice.recordings,
        );
        if (!outcome) throw new HttpProblem('not_found', 'Customer not found');
        return { customerId: request.params.id, ...outcome };
      },
    );

    app.get(
      '/api/v1/customers/:id/consents',
      {
        config: { auth: 'session', permission: 'customers.read' },
        schema: {
          tags: ['privacy'],
          summary: 'A customer’s marketing consent: the current answer per purpose and the full history',
          params: IdParams,
          response: { 200: ConsentList, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        if (!(await s.customers.get(request.params.id)))
          throw new HttpProblem('not_found', 'Customer not found');
        return consentList(await s.privacy.consents(request.params.id));
      },
    );

    app.put(
      '/api/v1/customers/:id/consents',
      {
        config: { auth: 'session', permission: 'conversations.reply' },
        schema: {
          tags: ['privacy'],
          summary:
            'Record that a customer granted or withdrew consent for a purpose (appended to the history)',
          params: IdParams,
          body: PutConsentBody,
          response: { 200: ConsentList, ...problems },
        },
      },
      async (request) => {
        const user = userOf(request);
        const s = store(request);
        const record = await recordConsent(
          { store: s, clock: ctx.clock, newId: ctx.newId },
          {
            customerId: request.params.id,
            purpose: request.body.purpose,
            status: request.body.status,
            source: request.body.source ?? 'console',
            recordedBy: `user:${user.user.id}`,
          },
        );
        await recordAudit(ctx, {
          workspaceId: user.workspaceId,
          actor: actorOf(user),
          action: 'consent.changed',
          target: { type: 'customer', id: record.customerId },
          details: { purpose: record.purpose, status: record.status, source: record.source },
        });
        return consentList(await s.privacy.consents(record.customerId));
      },
    );

    app.get(
      '/api/v1/privacy/retention',
      {
        config: { auth: 'session', permission: 'privacy.manage' },
        schema: {
          tags: ['privacy'],
          summary: 'How long transcripts, recordings and attachments are kept (null = keep)',
          response: { 200: RetentionPolicy, ...problems },
        },
      },
      async (request) => store(request).privacy.retention(),
    );

    app.put(
      '/api/v1/privacy/retention',
      {
        config: { auth: 'session', permission: 'privacy.manage' },
        schema: {
          tags: ['privacy'],
          summary: 'Set the retention policy; the hourly job deletes what is older',
          body: RetentionPolicyBody,
          response: { 200: RetentionPolicy, ...problems },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        validateRetention(request.body);
        const saved = await store(request).privacy.setRetention(request.body, ctx.clock.now().toISOString());
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'settings.changed',
          target: { type: 'retention_policy', id: principal.workspaceId },
          details: {
            transcriptsDays: saved.transcriptsDays,
            recordingsDays: saved.recordingsDays,
            attachmentsDays: saved.attachmentsDays,
          },
        });
        return saved;
      },
    );

    app.post(
      '/api/v1/conversations/:id/attachments',
      {
        config: { auth: 'session', permission: 'conversations.reply' },
        schema: {
          tags: ['conversations'],
          summary: 'Send a file (image or PDF, ≤ 10 MB) to the customer as an agent message',
          description: 'The body is the file itself; its type is recognised from its first bytes.',
          consumes: [...ATTACHMENT_TYPES, 'application/octet-stream'],
          params: IdParams,
          querystring: AttachmentUploadQuery,
          body: Binary,
          response: { 201: AttachmentUploaded, ...problems },
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        tooLarge(request);
        const s = store(request);
        const conversation = await s.conversations.get(request.params.id);
        if (!conversation) throw new HttpProblem('not_found', 'Conversation not found');
        const id = ctx.newId();
        const saved = await files.save(user.workspaceId, id, bodyStream(request)).catch(refuse);
        const name = cleanFileName(request.query.name, `file.${extensionOf[saved.mimeType]}`);
        const record: AttachmentRecord = {
          id,
          conversationId: conversation.id,
          customerId: conversation.customerId,
          messageId: null,
          uploadedBy: 'agent',
          name,
          mimeType: saved.mimeType,
          size: saved.size,
          fileKey: saved.fileKey,
          createdAt: ctx.clock.now().toISOString(),
        };
        try {
          await s.attachments.create(record);
          const { message } = await ctx.commands.replyAsAgent(user.workspaceId, {
            conversationId: conversation.id,
            agentId: user.user.id,
            text: '',
            attachments: [{ id, name, mimeType: saved.mimeType, size: saved.size }],
          });
          await s.attachments.linkMessage(id, message.id);
          const names = await authorNames(s);
          return reply.code(201).send({
            attachment: attachmentDto({ ...record, messageId: message.id }),
            message: messageDto(message, names),
          });
        } catch (error) {
          await s.attachments.delete(id);
          await files.remove(user.workspaceId, id);
          throw error;
        }
      },
    );

    app.get(
      '/api/v1/attachments/:id',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['conversations'],
          summary: 'Download an attachment (decrypted as it streams)',
          params: AgentAttachmentParams,
          response: { 200: Binary, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const attachment = await store(request).attachments.get(request.params.id);
        if (!attachment) throw new HttpProblem('not_found', 'Attachment not found');
        return sendFile(reply, principal.workspaceId, attachment);
      },
    );

    // ── The widget's visitor ────────────────────────────────────────────────────────────────────────
    const visitorOf = async (request: FastifyRequest, inboxToken: string, visitorToken: string) => {
      const inbox = await widgetInbox(ctx, request, inboxToken);
      const visitorId = verifyVisitorToken(ctx.config.secret, inbox.id, visitorToken);
      if (!visitorId)
        throw new HttpProblem('unauthenticated', 'Unknown visitor token; start a session first');
      return { inbox, visitorId };
    };
    const cors = (request: FastifyRequest, reply: FastifyReply) => {
      const origin = request.headers.origin;
      if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'origin');
    };

    app.post(
      '/api/v1/widget/attachments',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['widget'],
          summary: 'A visitor sends a photo or PDF (≤ 10 MB) as a message',
          description: 'The body is the file itself; its type is recognised from its first bytes.',
          consumes: [...ATTACHMENT_TYPES, 'application/octet-stream'],
          querystring: WidgetAttachmentQuery,
          body: Binary,
          response: { 201: WidgetAttachmentUploaded, ...problems },
        },
      },
      async (request, reply) => {
        cors(request, reply);
        tooLarge(request);
        const { inbox, visitorId } = await visitorOf(
          request,
          request.query.inbox,
          request.query.visitorToken,
        );
        const workspaceId = inbox.workspaceId;
        const s = ctx.db.forWorkspace(workspaceId);
        const id = ctx.newId();
        const saved = await files.save(workspaceId, id, bodyStream(request)).catch(refuse);
        const name = cleanFileName(request.query.name, `photo.${extensionOf[saved.mimeType]}`);
        const clientMessageId = request.query.clientMessageId ?? id;
        try {
          const result = await ctx.commands.receiveCustomerMessage(workspaceId, {
            inboxId: inbox.id,
            identity: { kind: 'visitor', value: visitorId, verified: true, source: 'widget' },
            text: '',
            attachments: [{ id, name, mimeType: saved.mimeType, size: saved.size }],
            idempotencyKey: `visitor:${visitorId}:${clientMessageId}`,
            clientMessageId,
          });
          const names = await authorNames(s);
          const existing = result.message.attachments.find((a) => a.id)?.id;
          if (result.duplicate && existing && existing !== id) {
            // A retried upload: the first one stands.
            await files.remove(workspaceId, id);
            const first = await s.attachments.get(existing);
            if (!first) throw new HttpProblem('conflict', 'The first upload is no longer available');
            return reply.code(201).send({
              attachment: attachmentDto(first),
              conversationId: result.conversation.id,
              message: widgetMessageDto(result.message, names),
            });
          }
          const record: AttachmentRecord = {
            id,
            conversationId: result.conversation.id,
            customerId: result.conversation.customerId,
            messageId: result.message.id,
            uploadedBy: 'customer',
            name,
            mimeType: saved.mimeType,
            size: saved.size,
            fileKey: saved.fileKey,
            createdAt: result.message.createdAt,
          };
          await s.attachments.create(record);
          return reply.code(201).send({
            attachment: attachmentDto(record),
            conversationId: result.conversation.id,
            message: widgetMessageDto(result.message, names),
          });
        } catch (error) {
          await files.remove(workspaceId, id);
          throw error;
        }
      },
    );

    app.get(
      '/api/v1/widget/attachments/:id',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['widget'],
          summary: 'A visitor downloads an attachment of their own conversation',
          params: AgentAttachmentParams,
          querystring: WidgetAttachmentDownloadQuery,
          response: { 200: Binary, ...problems },
        },
      },
      async (request, reply) => {
        cors(request, reply);
        const { inbox, visitorId } = await visitorOf(
          request,
          request.query.inbox,
          request.query.visitorToken,
        );
        const s = ctx.db.forWorkspace(inbox.workspaceId);
        const [visitor, attachment] = await Promise.all([
          s.customers.findByIdentity('visitor', visitorId),
          s.attachments.get(request.params.id),
        ]);
        // Another visitor's file, or another inbox's, is "not found": its existence is not revealed.
        const conversation = attachment && (await s.conversations.get(attachment.conversationId));
        if (!visitor || !attachment || !conversation)
          throw new HttpProblem('not_found', 'Attachment not found');
        if (attachment.customerId !== visitor.id || conversation.inboxId !== inbox.id)
          throw new HttpProblem('not_found', 'Attachment not found');
        return sendFile(reply, inbox.workspaceId, attachment);
      },
    );
  };

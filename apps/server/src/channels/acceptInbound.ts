// Accepts what a provider channel delivered for one inbox: each customer message goes through the core
// `receiveCustomerMessage` (idempotent on `<adapter>:<provider message id>`, so a provider's retry or a
// replayed request stores nothing new), continuing the email thread it belongs to; its files are stored
// encrypted like widget uploads; status reports move the matching deliveries on. The HTTP hook route and
// the email helper's SMTP listener both call this, so every channel is accepted the same way.
import { Readable } from 'node:stream';
import type { InboundEvent, InboundMessageEvent } from '@zhike/channels';
import type { Attachment, AttachmentRecord, Clock, EventBus, Inbox, Message } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { Commands } from '../commands.ts';
import { cleanFileName } from '../http/privacy.ts';
import { type AttachmentFiles, AttachmentRejected, extensionOf } from '../privacy/attachmentFiles.ts';
import { publishDelivery } from './deliveryEvents.ts';

export interface AcceptInboundDeps {
  db: Database;
  /** Carries delivery status changes to the console. */
  bus: EventBus;
  commands: Commands;
  clock: Clock;
  newId: () => string;
  log: Logger;
  files: AttachmentFiles;
}

export interface AcceptedMessage {
  event: InboundMessageEvent;
  conversationId: string;
  message: Message;
  duplicate: boolean;
}

export interface AcceptedInbound {
  messages: AcceptedMessage[];
  /** Status reports that moved a delivery on (unknown ids and stale reports are ignored). */
  statusesApplied: number;
}

/** Inbound meta key under which an adapter reports the message's own id in a threaded channel. */
export const THREAD_ID_META = 'messageId';

/** The key a provider message is stored under: the same message delivered twice is one message. */
export const inboundKey = (adapterId: string, providerMessageId: string) =>
  `${adapterId}:${providerMessageId}`;

export async function acceptInbound(
  deps: AcceptInboundDeps,
  inbox: Inbox,
  events: readonly InboundEvent[],
): Promise<AcceptedInbound> {
  if (!inbox.adapter) throw new Error(`inbox ${inbox.id} has no channel adapter`);
  const store = deps.db.forWorkspace(inbox.workspaceId);
  const result: AcceptedInbound = { messages: [], statusesApplied: 0 };
  for (const event of events) {
    if (event.kind === 'status') {
      const at = deps.clock.now().toISOString();
      const moved = await store.channels.deliveries.applyStatus({
        inboxId: inbox.id,
        providerMessageId: event.providerMessageId,
        status: event.status,
        error: event.error ?? null,
        at,
      });
      if (moved) {
        result.statusesApplied++;
        await publishDelivery(deps, store, moved, at);
      }
      continue;
    }
    result.messages.push(await acceptMessage(deps, inbox, inbox.adapter, event));
  }
  return result;
}

async function acceptMessage(
  deps: AcceptInboundDeps,
  inbox: Inbox,
  adapterId: string,
  event: InboundMessageEvent,
): Promise<AcceptedMessage> {
  const store = deps.db.forWorkspace(inbox.workspaceId);
  const idempotencyKey = inboundKey(adapterId, event.providerMessageId);
  // A replay is answered without touching files or threads again.
  const known = await store.messages.findByIdempotencyKey(inbox.id, idempotencyKey);
  if (known) return { event, conversationId: known.conversationId, message: known, duplicate: true };

  const threadRefs = event.threadRefs ?? [];
  const conversationId =
    threadRefs.length > 0 ? await store.channels.threads.find(inbox.id, threadRefs) : null;
  const saved = await saveFiles(deps, inbox.workspaceId, event);
  let text = event.text;
  if (saved.refused.length > 0) {
    // The agent should know a file came that could not be kept (a .docx, an oversized video).
    const names = saved.refused.join(', ');
    text = text ? `${text}\n\n[${names} — not kept]` : `[${names} — not kept]`;
  }
  try {
    const received = await deps.commands.receiveCustomerMessage(inbox.workspaceId, {
      inboxId: inbox.id,
      // The channel's own proof (a carrier-delivered SMS, a signed WeChat push, an authenticated sender)
      // lets the core merge this customer with the one already verified on another channel.
      identity: { kind: event.identity.kind, value: event.identity.value, verified: event.identity.verified },
      ...(event.profile ? { profile: event.profile } : {}),
      text,
      attachments: saved.files.map((f) => f.attachment),
      idempotencyKey,
      clientMessageId: event.providerMessageId.slice(0, 200),
      conversationId,
    });
    if (received.duplicate) {
      // A concurrent delivery of the same message won: its files stand, these go.
      for (const f of saved.files) await deps.files.remove(inbox.workspaceId, f.attachment.id ?? '');
      return {
        event,
        conversationId: received.conversation.id,
        message: received.message,
        duplicate: true,
      };
    }
    const { conversation, message } = received;
    for (const f of saved.files) {
      const record: AttachmentRecord = {
        id: f.attachment.id ?? '',
        conversationId: conversation.id,
        customerId: conversation.customerId,
        messageId: message.id,
        uploadedBy: 'customer',
        name: f.attachment.name,
        mimeType: f.attachment.mimeType,
        size: f.attachment.size,
        fileKey: f.fileKey,
        createdAt: message.createdAt,
      };
      await store.attachments.create(record);
    }
    const ownId = event.meta?.[THREAD_ID_META];
    const refs = [...threadRefs, ...(ownId ? [ownId] : [])];
    if (refs.length > 0)
      await store.channels.threads.remember(inbox.id, refs, conversation.id, message.createdAt);
    if (event.meta && Object.keys(event.meta).length > 0)
      await store.channels.conversationMeta.set(conversation.id, event.meta);
    return { event, conversationId: conversation.id, message, duplicate: false };
  } catch (error) {
    for (const f of saved.files) await deps.files.remove(inbox.workspaceId, f.attachment.id ?? '');
    throw error;
  }
}

async function saveFiles(
  deps: AcceptInboundDeps,
  workspaceId: string,
  event: InboundMessageEvent,
): Promise<{ files: { attachment: Attachment; fileKey: string }[]; refused: string[] }> {
  const files: { attachment: Attachment; fileKey: string }[] = [];
  const refused: string[] = [];
  for (const file of event.attachments ?? []) {
    const id = deps.newId();
    try {
      const stored = await deps.files.save(workspaceId, id, Readable.from([file.content]));
      files.push({
        attachment: {
          id,
          name: cleanFileName(file.name, `file.${extensionOf[stored.mimeType]}`),
          mimeType: stored.mimeType,
          size: stored.size,
        },
        fileKey: stored.fileKey,
      });
    } catch (error) {
      if (!(error instanceof AttachmentRejected)) {
        for (const f of files) await deps.files.remove(workspaceId, f.attachment.id ?? '');
        throw error;
      }
      refused.push(cleanFileName(file.name, 'file'));
    }
  }
  return { files, refused };
}

// The conversation as the widget knows it: confirmed messages, the outbox of unacknowledged sends
// (persisted, so a reload or a dropped socket loses nothing) and the read marker behind the unread badge.
import type { WidgetMessage } from '@zhike/contracts';
import { DraftBook, type DraftFrame } from './drafts.ts';
import { type KeyValueStore, readJson } from './storage.ts';

export type PendingStatus = 'sending' | 'failed';

export interface PendingMessage {
  clientMessageId: string;
  text: string;
  createdAt: string;
  status: PendingStatus;
  /** The server's error code for a failed send, or null for a timeout. */
  error: string | null;
  /** Whether resending can succeed; a failed message that cannot is shown without a retry button. */
  retryable: boolean;
}

export type ChatEntry =
  /** `draft`: a bot answer still being written (its stored message will take the same key). */
  | { kind: 'message'; key: string; message: WidgetMessage; draft?: true }
  | { kind: 'pending'; key: string; pending: PendingMessage };

/** More unsent messages than this are a runaway loop, not a customer typing. */
const OUTBOX_LIMIT = 50;

const orderKey = (m: WidgetMessage): string => `${m.createdAt}|${m.id}`;
const countsAsUnread = (m: WidgetMessage): boolean => m.author === 'bot' || m.author === 'agent';

function isPending(value: unknown): value is PendingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.clientMessageId === 'string' &&
    typeof v.text === 'string' &&
    typeof v.createdAt === 'string' &&
    (v.status === 'sending' || v.status === 'failed')
  );
}
const isOutbox = (value: unknown): value is unknown[] => Array.isArray(value);

export class ChatStore {
  private messages: WidgetMessage[] = [];
  private readonly ids = new Set<string>();
  private readonly confirmedClientIds = new Set<string>();
  private outbox: PendingMessage[];
  private readMarker: string | null;
  private readonly listeners = new Set<() => void>();
  private readonly drafts = new DraftBook(() => this.emit());
  private readonly outboxKey: string;
  private readonly readKey: string;

  constructor(
    private readonly storage: KeyValueStore,
    keyPrefix: string,
  ) {
    this.outboxKey = `${keyPrefix}:outbox`;
    this.readKey = `${keyPrefix}:read`;
    const stored = readJson(storage, this.outboxKey, isOutbox) ?? [];
    // Entries saved by older builds lack error/retryable.
    this.outbox = stored
      .filter(isPending)
      .map((p) => ({ ...p, error: p.error ?? null, retryable: p.retryable ?? true }));
    this.readMarker = storage.getItem(this.readKey);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Adds messages from the session bootstrap, a sync or a live frame. Known ids are skipped, and a
   * message carrying the clientMessageId of an outbox entry settles that entry (its ack may have been lost).
   * Returns the messages that were new.
   */
  merge(incoming: readonly WidgetMessage[]): WidgetMessage[] {
    const added: WidgetMessage[] = [];
    let settled = false;
    for (const message of incoming) {
      if (message.clientMessageId !== null) {
        const before = this.outbox.length;
        this.outbox = this.outbox.filter((p) => p.clientMessageId !== message.clientMessageId);
        settled ||= this.outbox.length !== before;
      }
      if (this.ids.has(message.id)) continue;
      // The same send stored twice under different ids would be a server bug; show it once anyway.
      if (message.clientMessageId !== null && this.confirmedClientIds.has(message.clientMessageId)) continue;
      this.ids.add(message.id);
      if (message.clientMessageId !== null) this.confirmedClientIds.add(message.clientMessageId);
      this.messages.push(message);
      added.push(message);
    }
    if (added.length > 0) this.messages.sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : 1));
    if (settled) this.saveOutbox();
    const undrafted = added.some((m) => m.author !== 'customer') && this.drafts.settle();
    if (added.length > 0 || settled || undrafted) this.emit();
    return added;
  }

  /** Shows a bot answer as it is being written; ignored once its stored message is here. */
  draft(frame: DraftFrame, now = new Date()): void {
    if (this.ids.has(frame.draftId)) return;
    if (this.drafts.update(frame, now)) this.emit();
  }

  ack(clientMessageId: string, message: WidgetMessage): void {
    // The server echoes our id; trust the frame's id over the message field if they ever disagree.
    this.merge([{ ...message, clientMessageId: message.clientMessageId ?? clientMessageId }]);
  }

  addPending(text: string, clientMessageId: string, now: Date): PendingMessage {
    const pending: PendingMessage = {
      clientMessageId,
      text,
      createdAt: now.toISOString(),
      status: 'sending',
      error: null,
      retryable: true,
    };
    this.outbox.push(pending);
    if (this.outbox.length > OUTBOX_LIMIT) this.outbox.splice(0, this.outbox.length - OUTBOX_LIMIT);
    this.saveOutbox();
    this.emit();
    return pending;
  }

  fail(clientMessageId: string, error: string | null, retryable = true): void {
    this.updatePending(clientMessageId, { status: 'failed', error, retryable });
  }

  /** Puts a failed message back into the queue; returns it if it is still unacknowledged. */
  retry(clientMessageId: string): PendingMessage | null {
    const current = this.outbox.find((p) => p.clientMessageId === clientMessageId);
    if (!current?.retryable) return null;
    return this.updatePending(clientMessageId, { status: 'sending', error: null });
  }

  /** Entries waiting for an ack, oldest first: what a (re)connect must resend. */
  unsent(): PendingMessage[] {
    return this.outbox.filter((p) => p.status === 'sending');
  }

  isUnacked(clientMessageId: string): boolean {
    return this.outbox.some((p) => p.clientMessageId === clientMessageId && p.status === 'sending');
  }

  lastMessageId(): string | null {
    return this.messages[this.messages.length - 1]?.id ?? null;
  }

  entries(): ChatEntry[] {
    return [
      ...this.messages.map(
        (message): ChatEntry => ({
          kind: 'message',
          key: message.clientMessageId ?? message.id,
          message,
        }),
      ),
      ...this.drafts
        .list()
        .map((message): ChatEntry => ({ kind: 'message', key: message.id, message, draft: true })),
      ...this.outbox.map(
        (pending): ChatEntry => ({ kind: 'pending', key: pending.clientMessageId, pending }),
      ),
    ];
  }

  /** Bot and agent messages after the read marker. */
  unreadCount(): number {
    const marker = this.readMarker;
    return this.messages.filter((m) => countsAsUnread(m) && (marker === null || orderKey(m) > marker)).length;
  }

  markRead(): void {
    const last = this.messages[this.messages.length - 1];
    if (!last || this.readMarker === orderKey(last)) return;
    this.readMarker = orderKey(last);
    this.storage.setItem(this.readKey, this.readMarker);
    this.emit();
  }

  /** A visitor whose marker was lost has read what they already had, not everything since the start. */
  markReadIfUnset(): void {
    if (this.readMarker === null) this.markRead();
  }

  private updatePending(clientMessageId: string, patch: Partial<PendingMessage>): PendingMessage | null {
    const index = this.outbox.findIndex((p) => p.clientMessageId === clientMessageId);
    const current = this.outbox[index];
    if (!current) return null;
    const next = { ...current, ...patch };
    this.outbox[index] = next;
    this.saveOutbox();
    this.emit();
    return next;
  }

  private saveOutbox(): void {
    if (this.outbox.length === 0) this.storage.removeItem(this.outboxKey);
    else this.storage.setItem(this.outboxKey, JSON.stringify(this.outbox));
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

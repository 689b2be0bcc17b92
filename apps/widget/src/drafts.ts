// Bot answers being written (streamed `draft` frames), shown as they grow until the stored message
// replaces them. A draft whose message never comes (the turn was abandoned: an agent stepped in, the
// server restarted) fades after a while instead of staying on screen forever.
import type { WidgetMessage } from '@zhike/contracts';

/** No update for this long and no stored message: the draft was abandoned. */
export const DRAFT_TTL_MS = 60_000;

export interface DraftFrame {
  draftId: string;
  seq: number;
  text: string;
}

interface Draft {
  seq: number;
  message: WidgetMessage;
  updatedAt: number;
}

export class DraftBook {
  private readonly drafts = new Map<string, Draft>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `changed` is called when drafts expire on their own. */
  constructor(private readonly changed: () => void) {}

  /** Applies a frame; false when it changes nothing (stale `seq`, same text). */
  update(frame: DraftFrame, now: Date): boolean {
    const current = this.drafts.get(frame.draftId);
    if (current && (current.seq >= frame.seq || current.message.text === frame.text)) {
      if (current.seq < frame.seq) current.seq = frame.seq;
      return false;
    }
    this.drafts.set(frame.draftId, {
      seq: frame.seq,
      updatedAt: now.getTime(),
      message: {
        id: frame.draftId,
        author: 'bot',
        authorName: null,
        text: frame.text,
        createdAt: current?.message.createdAt ?? now.toISOString(),
        clientMessageId: null,
      },
    });
    this.schedule();
    return true;
  }

  /**
   * A stored bot or agent message arrived: the turn that drafted is over, whether that message is the
   * draft's own (same id) or not. Returns whether any draft was dropped.
   */
  settle(): boolean {
    if (this.drafts.size === 0) return false;
    this.drafts.clear();
    this.stop();
    return true;
  }

  list(): WidgetMessage[] {
    return [...this.drafts.values()].map((d) => d.message);
  }

  private expire(now: number): void {
    let dropped = false;
    for (const [id, draft] of this.drafts) {
      if (now - draft.updatedAt >= DRAFT_TTL_MS) {
        this.drafts.delete(id);
        dropped = true;
      }
    }
    this.stop();
    if (this.drafts.size > 0) this.schedule();
    if (dropped) this.changed();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.expire(Date.now()), DRAFT_TTL_MS);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

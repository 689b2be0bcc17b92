// Appending to and verifying a stored audit chain, over a store the DB layer implements. One global
// chain: `seq` is unique, so two writers racing for the same position cannot both succeed.
import {
  type AuditEntry,
  type AuditEntryInput,
  type ChainVerdict,
  chainEntry,
  GENESIS_HASH,
  verifyChain,
} from './chain.ts';
import { retentionCutoff } from './retention.ts';

export interface AuditCheckpoint {
  seq: number;
  hash: string;
}

export interface AuditStore {
  /** The newest row, or null when the log is empty (then `checkpoint` is where the chain continues). */
  last(): Promise<AuditEntry | null>;
  /**
   * Stores the entry and moves the head to it in one transaction. Returns false when `entry.seq` is
   * already taken: another writer appended first.
   */
  append(entry: AuditEntry): Promise<boolean>;
  /** The last entry appended (seq and hash), kept apart from the log so a removed tail shows. */
  head(): Promise<AuditCheckpoint | null>;
  /** Entries with seq > afterSeq, ascending. */
  page(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** Left by the last retention purge; null if nothing was ever purged. */
  checkpoint(): Promise<AuditCheckpoint | null>;
  /** In one transaction: store the checkpoint, then delete every entry with seq ≤ its seq. Returns the count. */
  purgeThrough(checkpoint: AuditCheckpoint, createdAt: string): Promise<number>;
}

export type AuditRecord = Omit<AuditEntryInput, 'id' | 'at'> & { at?: string };

export interface AuditLog {
  record(input: AuditRecord): Promise<AuditEntry>;
  verify(options?: { pageSize?: number; expectedHead?: AuditCheckpoint }): Promise<ChainVerdict>;
  /**
   * Deletes the oldest entries past retention (days clamped to ≥ 365), leaving a checkpoint so the rest
   * still verifies, and records an `audit.pruned` entry when anything went.
   */
  purge(retentionDays: number): Promise<number>;
}

export function createAuditLog(options: {
  store: AuditStore;
  newId: () => string;
  now?: () => Date;
}): AuditLog {
  const { store, newId } = options;
  const now = options.now ?? (() => new Date());
  return {
    async record(input) {
      for (let attempt = 0; attempt < 20; attempt++) {
        // From the head rather than the newest row: after a removed tail the next entry still links to
        // the missing one, so appending on does not paper over the hole.
        const prev = (await store.head()) ?? (await store.last()) ?? (await store.checkpoint());
        const entry = chainEntry(prev, { ...input, id: newId(), at: input.at ?? now().toISOString() });
        if (await store.append(entry)) return entry;
      }
      throw new Error('audit log: could not append after 20 attempts (write contention)');
    },

    async purge(retentionDays) {
      const cutoff = retentionCutoff(now(), retentionDays).toISOString();
      let through: AuditCheckpoint | null = null;
      let cursor = (await store.checkpoint())?.seq ?? 0;
      // Only an oldest-first run goes: the first entry inside retention ends the purge.
      for (;;) {
        const entries = await store.page(cursor, 1000);
        const firstKept = entries.findIndex((e) => e.at >= cutoff);
        const old = firstKept < 0 ? entries : entries.slice(0, firstKept);
        const last = old.at(-1);
        if (last) through = { seq: last.seq, hash: last.hash };
        if (firstKept >= 0 || entries.length === 0) break;
        cursor = last!.seq;
      }
      if (!through) return 0;
      const removed = await store.purgeThrough(through, now().toISOString());
      await this.record({
        workspaceId: null,
        actor: { type: 'system', id: 'retention' },
        action: 'audit.pruned',
        details: { throughSeq: through.seq, removed, retentionDays },
      });
      return removed;
    },

    async verify(verifyOptions = {}) {
      const pageSize = verifyOptions.pageSize ?? 1000;
      const anchor = await store.checkpoint();
      // The head is read first and the walk stops there: rows appended meanwhile are the next run's.
      // No head at all means nothing was ever appended, so the chain must end at its start.
      const recorded = (await store.head()) ?? anchor ?? { seq: 0, hash: GENESIS_HASH };
      let cursor: AuditCheckpoint = anchor ?? { seq: 0, hash: GENESIS_HASH };
      let count = 0;
      while (cursor.seq < recorded.seq) {
        const entries = (await store.page(cursor.seq, pageSize)).filter((e) => e.seq <= recorded.seq);
        if (entries.length === 0) break;
        const verdict = verifyChain(entries, { anchor: cursor });
        if (!verdict.ok) return { ...verdict, index: verdict.index + count };
        count += entries.length;
        cursor = { seq: entries.at(-1)!.seq, hash: verdict.head };
      }
      for (const expectedHead of [recorded, verifyOptions.expectedHead]) {
        if (!expectedHead) continue;
        const final = verifyChain([], { anchor: cursor, expectedHead });
        if (!final.ok) return { ...final, index: count };
      }
      // A row past the head is fine only if the head has moved over it since (a concurrent append).
      const beyond = (await store.page(cursor.seq, 1))[0];
      if (beyond) {
        const now = await store.head();
        if (!now || now.seq < beyond.seq)
          return {
            ok: false,
            index: count,
            id: beyond.id,
            seq: beyond.seq,
            reason: 'head_mismatch',
            expectedSeq: now?.seq ?? recorded.seq,
          };
      }
      return { ok: true, count, head: cursor.hash };
    },
  };
}

export function createMemoryAuditStore(): AuditStore & {
  entries: AuditEntry[];
  setCheckpoint(c: AuditCheckpoint | null): void;
} {
  const entries: AuditEntry[] = [];
  let checkpoint: AuditCheckpoint | null = null;
  // Apart from `entries`, so a test removing entries behaves like a deleted row under a kept head.
  let head: AuditCheckpoint | null = null;
  return {
    entries,
    setCheckpoint: (c) => {
      checkpoint = c;
    },
    async last() {
      return entries.reduce<AuditEntry | null>((a, e) => (!a || e.seq > a.seq ? e : a), null);
    },
    async append(entry) {
      if (entries.some((e) => e.seq === entry.seq)) return false;
      entries.push(entry);
      if (!head || entry.seq > head.seq) head = { seq: entry.seq, hash: entry.hash };
      return true;
    },
    async head() {
      return head;
    },
    async page(afterSeq, limit) {
      return entries
        .filter((e) => e.seq > afterSeq)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
    },
    async checkpoint() {
      return checkpoint;
    },
    async purgeThrough(c) {
      checkpoint = c;
      const before = entries.length;
      for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.seq <= c.seq) entries.splice(i, 1);
      return before - entries.length;
    },
  };
}

// Hash-chained audit entries: each hash covers the entry and the previous hash, so editing, removing or
// reordering a stored row breaks verification from that row on; a removed tail shows against a recorded head.
import { createHash } from 'node:crypto';
import { type AuditAction, isAuditAction } from './actions.ts';

export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntryInput {
  id: string;
  /** null for events outside any workspace (e.g. a failed sign-in for an unknown account). */
  workspaceId: string | null;
  at: string;
  actor: { type: 'user' | 'api_key' | 'system' | 'visitor'; id: string };
  action: AuditAction;
  target?: { type: string; id: string };
  /** Ids, counts, setting names — never personal data (checked by `chainEntry`). */
  details: AuditDetails;
}

export interface AuditEntry extends AuditEntryInput {
  /** 1, 2, … without gaps; the order the chain is verified in. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** The hash before the first entry; after a purge, the checkpoint hash takes its place. */
export const GENESIS_HASH = '0'.repeat(64);

export class AuditDetailsError extends Error {
  constructor(key: string) {
    super(`audit details "${key}" look like personal data (email or phone); store an id instead`);
    this.name = 'AuditDetailsError';
  }
}

/** JSON with object keys sorted at every depth and no whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
// Mainland mobiles and +-prefixed international numbers, standing alone (not inside ids or dates).
const PHONE = [
  /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9A-Za-z])/,
  /(?<![0-9A-Za-z])\+\d[\d\s-]{7,}\d(?![0-9A-Za-z])/,
];

function assertNoPii(details: AuditDetails): void {
  for (const [key, value] of Object.entries(details))
    if (typeof value === 'string' && (EMAIL.test(value) || PHONE.some((p) => p.test(value))))
      throw new AuditDetailsError(key);
}

export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const { id, seq, workspaceId, at, actor, action, target, details, prevHash } = entry;
  const body = canonicalJson({ id, seq, workspaceId, at, actor, action, target: target ?? null, details });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Links `entry` after `prev` (null = first entry, or the checkpoint when the log was purged). */
export function chainEntry(
  prev: Pick<AuditEntry, 'seq' | 'hash'> | null,
  entry: AuditEntryInput,
): AuditEntry {
  if (!isAuditAction(entry.action)) throw new TypeError(`unknown audit action ${entry.action}`);
  assertNoPii(entry.details);
  const linked = { ...entry, seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? GENESIS_HASH };
  return { ...linked, hash: hashEntry(linked) };
}

export type ChainBreak = 'hash_mismatch' | 'prev_mismatch' | 'seq_gap' | 'tail_missing' | 'head_mismatch';

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | {
      ok: false;
      index: number;
      id: string | null;
      /** The first bad row; for `tail_missing`, the first missing seq. */
      seq: number | null;
      reason: ChainBreak;
      /** `tail_missing`/`head_mismatch`: the last seq the recorded head says the chain reaches. */
      expectedSeq?: number;
    };

export interface VerifyOptions {
  /** Where the chain starts: the checkpoint left by the last purge (default: genesis, seq 0). */
  anchor?: { seq: number; hash: string };
  /**
   * The last entry recorded elsewhere (the store's head row, an exported report): catches a removed tail
   * (`tail_missing`) and a last row that is not the one recorded (`head_mismatch`).
   */
  expectedHead?: { seq: number; hash: string };
}

/** Entries in `seq` order; reports the first broken link. */
export function verifyChain(entries: readonly AuditEntry[], options: VerifyOptions = {}): ChainVerdict {
  let prevHash = options.anchor?.hash ?? GENESIS_HASH;
  let prevSeq = options.anchor?.seq ?? 0;
  for (let index = 0; index < entries.length; index++) {
    const e = entries[index]!;
    const broken = (reason: ChainBreak): ChainVerdict => ({ ok: false, index, id: e.id, seq: e.seq, reason });
    if (e.prevHash !== prevHash) return broken('prev_mismatch');
    if (e.seq !== prevSeq + 1) return broken('seq_gap');
    const { hash, ...rest } = e;
    if (hashEntry(rest) !== hash) return broken('hash_mismatch');
    prevHash = hash;
    prevSeq = e.seq;
  }
  const head = options.expectedHead;
  if (head && head.seq > prevSeq)
    return {
      ok: false,
      index: entries.length,
      id: null,
      seq: prevSeq + 1,
      reason: 'tail_missing',
      expectedSeq: head.seq,
    };
  if (head && (head.seq !== prevSeq || head.hash !== prevHash))
    return {
      ok: false,
      index: entries.length,
      id: null,
      seq: prevSeq,
      reason: 'head_mismatch',
      expectedSeq: head.seq,
    };
  return { ok: true, count: entries.length, head: prevHash };
}

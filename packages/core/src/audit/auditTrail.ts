// Reading one workspace's audit entries (the chain itself is written by @zhike/security's audit log).

export interface AuditTrailFilter {
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  actorId?: string;
  action?: string;
  /** Entries with a smaller seq (newest first paging). */
  beforeSeq?: number;
  limit: number;
}

export interface AuditTrailEntry {
  seq: number;
  id: string;
  at: string;
  actor: { type: string; id: string };
  action: string;
  target: { type: string; id: string } | null;
  /** Ids, counts and setting names; never personal data. */
  details: Record<string, string | number | boolean | null>;
  hash: string;
}

export interface AuditTrailRepository {
  /** Newest first. */
  list(filter: AuditTrailFilter): Promise<AuditTrailEntry[]>;
}

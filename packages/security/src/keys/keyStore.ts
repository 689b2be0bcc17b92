// Where wrapped data keys live. The DB layer implements this over a table; the memory store is for tests
// and for single-process tools.

export type KeyPurpose = 'data' | 'index';

export interface WrappedKeyRow {
  workspaceId: string;
  /** Short random id carried inside every value sealed with this key. Unique within the workspace. */
  keyId: string;
  /** null = the workspace's key; a customer id = that customer's own key, destroyed to erase them. */
  subjectId: string | null;
  purpose: KeyPurpose;
  /** 1, 2, … per (workspace, subject, purpose); the highest version seals new values. */
  version: number;
  /** The master key this row is wrapped under. */
  masterKeyId: string;
  /** base64url(nonce | ciphertext | tag) of the 32-byte key, AES-256-GCM under the master key. */
  wrapped: string;
  createdAt: string;
}

export interface WrappedKeyStore {
  list(workspaceId: string): Promise<WrappedKeyRow[]>;
  /** One subject's rows (null: the workspace's own keys): what a key made by another process needs. */
  listSubject(workspaceId: string, subjectId: string | null): Promise<WrappedKeyRow[]>;
  /** Every workspace that has keys: what master-key rotation walks. */
  workspaces(): Promise<string[]>;
  /**
   * Returns false when (workspaceId, subjectId, purpose, version) or (workspaceId, keyId) is taken:
   * another process created the key first, and the caller re-reads.
   */
  insert(row: WrappedKeyRow): Promise<boolean>;
  /** Compare-and-set re-wrap: applies only while the row is still under `fromMasterKeyId`. */
  rewrap(
    workspaceId: string,
    keyId: string,
    fromMasterKeyId: string,
    to: { masterKeyId: string; wrapped: string },
  ): Promise<boolean>;
  /** Deletes a subject's keys (crypto-shredding one customer); returns how many rows went. */
  deleteSubject(workspaceId: string, subjectId: string): Promise<number>;
  deleteWorkspace(workspaceId: string): Promise<number>;
}

export function createMemoryKeyStore(): WrappedKeyStore & { rows(): WrappedKeyRow[] } {
  const rows: WrappedKeyRow[] = [];
  return {
    rows: () => rows.map((r) => ({ ...r })),
    async list(workspaceId) {
      return rows.filter((r) => r.workspaceId === workspaceId).map((r) => ({ ...r }));
    },
    async listSubject(workspaceId, subjectId) {
      return rows
        .filter((r) => r.workspaceId === workspaceId && r.subjectId === subjectId)
        .map((r) => ({ ...r }));
    },
    async workspaces() {
      return [...new Set(rows.map((r) => r.workspaceId))];
    },
    async insert(row) {
      const taken = rows.some(
        (r) =>
          r.workspaceId === row.workspaceId &&
          (r.keyId === row.keyId ||
            (r.subjectId === row.subjectId && r.purpose === row.purpose && r.version === row.version)),
      );
      if (taken) return false;
      rows.push({ ...row });
      return true;
    },
    async rewrap(workspaceId, keyId, fromMasterKeyId, to) {
      const row = rows.find((r) => r.workspaceId === workspaceId && r.keyId === keyId);
      if (!row || row.masterKeyId !== fromMasterKeyId) return false;
      row.masterKeyId = to.masterKeyId;
      row.wrapped = to.wrapped;
      return true;
    },
    async deleteSubject(workspaceId, subjectId) {
      return remove((r) => r.workspaceId === workspaceId && r.subjectId === subjectId);
    },
    async deleteWorkspace(workspaceId) {
      return remove((r) => r.workspaceId === workspaceId);
    },
  };

  function remove(match: (r: WrappedKeyRow) => boolean): number {
    let removed = 0;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (match(rows[i]!)) {
        rows.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }
}

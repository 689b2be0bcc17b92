// Per-workspace (and optionally per-customer) data keys wrapped by the master key, cached unwrapped in
// memory after an async load so the codec the repositories call stays synchronous.
import { randomBytes } from 'node:crypto';
import { KEY_BYTES, open, seal } from './aead.ts';
import { blindIndex, deriveIndexKey, type LookupKind } from './blindIndex.ts';
import type { KeyPurpose, WrappedKeyRow, WrappedKeyStore } from './keyStore.ts';
import { type MasterKey, MasterKeyError } from './masterKey.ts';
import { formatSealed, parseSealed, SEALED_PREFIX, valueContext, wrapContext } from './sealedValue.ts';

/** Structurally a `PersonalDataCodec` (packages/db), with optional field / kind context. */
export interface FieldCodec {
  /** `field` is bound as AAD: a value copied into another column fails to open. */
  seal(value: string, field?: string): string;
  open(stored: string, field?: string): string;
  /** Keyed blind index of the normalised value, for exact-match lookups. */
  lookup(value: string, kind?: LookupKind): string;
}

export interface CodecOptions {
  /** Seal with (and only open values of) this customer's own key; see README "crypto-shredding". */
  subjectId?: string;
  /** Return values without the zk1: prefix as they are: for databases written before encryption. */
  legacyPlaintext?: boolean;
  /**
   * Open values of any subject of the workspace (the key id says whose): a workspace's rows mix values
   * sealed with its own key (older writes) and with each customer's key. Sealing is unchanged.
   */
  openAnySubject?: boolean;
}

export interface Keyring {
  /** Reads the workspace's keys (creating its first data and index keys) into memory. Re-reads if called again. */
  load(workspaceId: string): Promise<void>;
  /** Makes sure a customer has a data key (after `load`). */
  ensureSubject(workspaceId: string, subjectId: string): Promise<void>;
  isLoaded(workspaceId: string): boolean;
  /** Synchronous; throws KeyringError when `load` (and `ensureSubject`) did not run first. */
  codecFor(workspaceId: string, options?: CodecOptions): FieldCodec;
  /** Adds a newer data key for new writes; values under older keys still open. Returns its key id. */
  rotateDataKey(workspaceId: string, options?: { subjectId?: string }): Promise<string>;
  /** Re-wraps every data key not under the current master key; the data itself is not touched. */
  rotateMasterKey(): Promise<{ rewrapped: number; workspaces: number }>;
  /**
   * Start-up check: throws MasterKeyError when stored keys are wrapped under a master key that is not
   * configured (a second process started with another key file), instead of failing on first read.
   */
  assertMasterKeyMatches(): Promise<void>;
  /** Crypto-shredding of one customer: their key goes, so everything sealed with it is unreadable. */
  destroySubjectKeys(workspaceId: string, subjectId: string): Promise<number>;
  destroyWorkspaceKeys(workspaceId: string): Promise<number>;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** The value names a key this process does not hold: destroyed (erased customer) or created elsewhere since `load`. */
export class UnknownKeyError extends KeyringError {
  constructor(readonly keyId: string) {
    super(`unknown data key ${keyId} (destroyed, or created after this process loaded the keyring)`);
    this.name = 'UnknownKeyError';
  }
}

interface WorkspaceKeys {
  rows: Map<string, WrappedKeyRow>;
  plain: Map<string, Buffer>;
  /** Newest row per subject and purpose: a workspace holds a key per customer, so no scan per read. */
  newest: Map<string, WrappedKeyRow>;
  /** Blind-index keys derived from the index key, by its key id (an HKDF per codec otherwise). */
  lookupKeys: Map<string, Buffer>;
}

const slotOf = (subjectId: string | null, purpose: KeyPurpose) => `${purpose}\u0000${subjectId ?? ''}`;

function keysOf(rows: Iterable<WrappedKeyRow>): WorkspaceKeys {
  const ws: WorkspaceKeys = { rows: new Map(), plain: new Map(), newest: new Map(), lookupKeys: new Map() };
  for (const row of rows) putRow(ws, row);
  return ws;
}

function putRow(ws: WorkspaceKeys, row: WrappedKeyRow): void {
  ws.rows.set(row.keyId, row);
  const slot = slotOf(row.subjectId, row.purpose);
  const best = ws.newest.get(slot);
  if (!best || row.version > best.version) ws.newest.set(slot, row);
}

export interface KeyringOptions {
  /** First = current (wraps new keys, target of rotation); the rest only unwrap. */
  masterKeys: MasterKey[];
  store: WrappedKeyStore;
  now?: () => Date;
}

export function createKeyring(options: KeyringOptions): Keyring {
  const { store } = options;
  const current = options.masterKeys[0];
  if (!current) throw new MasterKeyError('at least one master key is required');
  const masters = new Map(options.masterKeys.map((m) => [m.id, m.key]));
  if (masters.size !== options.masterKeys.length) throw new MasterKeyError('duplicate master key ids');
  for (const m of options.masterKeys)
    if (m.key.length !== KEY_BYTES) throw new MasterKeyError(`master key ${m.id} is not ${KEY_BYTES} bytes`);
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, WorkspaceKeys>();
  const loading = new Map<string, Promise<void>>();
  // Workspaces whose load finished (keys exist); the cache alone is filled before the first keys are made.
  const ready = new Set<string>();
  // Keys this process inserted. Their rows may not be visible to a re-read yet (written in a transaction
  // that has not committed), so a re-read keeps them instead of pulling them from under their writer.
  const created = new Set<string>();

  const masterFor = (row: WrappedKeyRow): Buffer => {
    const key = masters.get(row.masterKeyId);
    if (!key)
      throw new MasterKeyError(
        `key ${row.keyId} is wrapped under master key ${row.masterKeyId}, which is not configured`,
      );
    return key;
  };

  const wrap = (
    master: Buffer,
    row: Pick<WrappedKeyRow, 'workspaceId' | 'subjectId' | 'purpose' | 'keyId'>,
    plain: Buffer,
  ) =>
    seal(master, plain, wrapContext(row.workspaceId, row.subjectId, row.purpose, row.keyId)).toString(
      'base64url',
    );

  const unwrap = (row: WrappedKeyRow): Buffer =>
    open(
      masterFor(row),
      Buffer.from(row.wrapped, 'base64url'),
      wrapContext(row.workspaceId, row.subjectId, row.purpose, row.keyId),
    );

  const plainKey = (ws: WorkspaceKeys, row: WrappedKeyRow): Buffer => {
    let key = ws.plain.get(row.keyId);
    if (!key) {
      key = unwrap(row);
      ws.plain.set(row.keyId, key);
    }
    return key;
  };

  const newest = (
    ws: WorkspaceKeys,
    subjectId: string | null,
    purpose: KeyPurpose,
  ): WrappedKeyRow | undefined => ws.newest.get(slotOf(subjectId, purpose));

  const refresh = async (workspaceId: string): Promise<WorkspaceKeys> => {
    const rows = await store.list(workspaceId);
    const previous = cache.get(workspaceId);
    const ws = keysOf(rows);
    // Keep already-unwrapped keys unless the row vanished (destroyed by another process).
    if (previous) for (const [id, key] of previous.plain) if (ws.rows.has(id)) ws.plain.set(id, key);
    for (const id of created) {
      // Visible now: committed, nothing more to protect.
      if (ws.rows.has(id)) {
        created.delete(id);
        continue;
      }
      const row = previous?.rows.get(id);
      const key = previous?.plain.get(id);
      if (row && key) {
        putRow(ws, row);
        ws.plain.set(id, key);
      }
    }
    cache.set(workspaceId, ws);
    return ws;
  };

  /**
   * Adds rows to the workspace's cache as it is now. Never to a copy captured before an await: a re-read
   * (`refresh`) may have replaced the cache meanwhile, and a key put into the replaced copy would be lost.
   */
  const remember = (workspaceId: string, rows: readonly WrappedKeyRow[], plain?: Buffer): void => {
    const ws = cache.get(workspaceId);
    if (!ws) return;
    for (const row of rows) {
      if (!ws.rows.has(row.keyId)) putRow(ws, row);
      if (plain) ws.plain.set(row.keyId, plain);
    }
  };

  /**
   * Reads one subject's keys, made by another process since `load` (a customer who wrote to another
   * process first). One subject's rows, not the workspace's: a workspace holds a key per customer.
   */
  const readSubject = async (workspaceId: string, subjectId: string | null): Promise<void> => {
    remember(workspaceId, await store.listSubject(workspaceId, subjectId));
  };

  /** Creates version `newest + 1`; when another process wins the race, re-reads and uses theirs. */
  const addKey = async (
    workspaceId: string,
    subjectId: string | null,
    purpose: KeyPurpose,
  ): Promise<string> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const ws = cache.get(workspaceId) ?? (await refresh(workspaceId));
      const version = (newest(ws, subjectId, purpose)?.version ?? 0) + 1;
      const plain = randomBytes(KEY_BYTES);
      const base = { workspaceId, keyId: randomBytes(8).toString('base64url'), subjectId, purpose, version };
      const row: WrappedKeyRow = {
        ...base,
        masterKeyId: current.id,
        wrapped: wrap(current.key, base, plain),
        createdAt: now().toISOString(),
      };
      if (await store.insert(row)) {
        created.add(row.keyId);
        remember(workspaceId, [row], plain);
        return row.keyId;
      }
      await readSubject(workspaceId, subjectId);
      const theirs = newest(cache.get(workspaceId) ?? ws, subjectId, purpose);
      if (theirs && theirs.version >= version) return theirs.keyId;
    }
    throw new KeyringError(`could not create a ${purpose} key for workspace ${workspaceId}`);
  };

  const ensure = async (workspaceId: string, subjectId: string | null, purpose: KeyPurpose) => {
    if (!cache.has(workspaceId)) await refresh(workspaceId);
    const has = () => {
      const ws = cache.get(workspaceId);
      return ws !== undefined && newest(ws, subjectId, purpose) !== undefined;
    };
    if (has()) return;
    // Not cached: another process may have made it (a customer created there); read before creating.
    if (subjectId !== null) await readSubject(workspaceId, subjectId);
    if (!has()) await addKey(workspaceId, subjectId, purpose);
  };

  const loaded = (workspaceId: string): WorkspaceKeys => {
    const ws = cache.get(workspaceId);
    if (!ws)
      throw new KeyringError(
        `keyring for workspace ${workspaceId} is not loaded; await keyring.load() first`,
      );
    return ws;
  };

  const load = (workspaceId: string): Promise<void> => {
    const pending = loading.get(workspaceId);
    if (pending) return pending;
    const run = (async () => {
      await refresh(workspaceId);
      await ensure(workspaceId, null, 'data');
      await ensure(workspaceId, null, 'index');
      ready.add(workspaceId);
    })().finally(() => loading.delete(workspaceId));
    loading.set(workspaceId, run);
    return run;
  };

  return {
    load,

    async ensureSubject(workspaceId, subjectId) {
      if (!cache.has(workspaceId)) await load(workspaceId);
      await ensure(workspaceId, subjectId, 'data');
    },

    isLoaded: (workspaceId) => ready.has(workspaceId) && cache.has(workspaceId),

    codecFor(workspaceId, codecOptions = {}) {
      const ws = loaded(workspaceId);
      const subjectId = codecOptions.subjectId ?? null;
      const writeRow = newest(ws, subjectId, 'data');
      const indexRow = newest(ws, null, 'index');
      if (!writeRow || !indexRow)
        throw new KeyringError(
          subjectId
            ? `no data key for subject ${subjectId}; await keyring.ensureSubject() first`
            : `workspace ${workspaceId} has no keys; await keyring.load() first`,
        );
      const lookupKey =
        ws.lookupKeys.get(indexRow.keyId) ?? deriveIndexKey(plainKey(ws, indexRow), workspaceId);
      ws.lookupKeys.set(indexRow.keyId, lookupKey);
      // Keys are looked up at call time, so a key destroyed meanwhile is refused rather than used.
      const keyFor = (keyId: string): [WrappedKeyRow, Buffer] => {
        const latest = loaded(workspaceId);
        const row = latest.rows.get(keyId);
        if (row?.purpose !== 'data') throw new UnknownKeyError(keyId);
        return [row, plainKey(latest, row)];
      };
      return {
        seal(value, field = '') {
          const [, key] = keyFor(writeRow.keyId);
          const aad = valueContext(workspaceId, subjectId, field, writeRow.keyId);
          return formatSealed(writeRow.keyId, seal(key, Buffer.from(value, 'utf8'), aad));
        },
        open(stored, field = '') {
          if (codecOptions.legacyPlaintext && !stored.startsWith(SEALED_PREFIX)) return stored;
          const { keyId, packed } = parseSealed(stored);
          const [row, key] = keyFor(keyId);
          const owner = codecOptions.openAnySubject ? row.subjectId : subjectId;
          if (row.subjectId !== owner)
            throw new KeyringError(`value was sealed for another ${row.subjectId ? 'customer' : 'scope'}`);
          return open(key, packed, valueContext(workspaceId, owner, field, keyId)).toString('utf8');
        },
        lookup: (value, kind) => blindIndex(lookupKey, value, kind),
      };
    },

    async rotateDataKey(workspaceId, rotateOptions = {}) {
      await load(workspaceId);
      return addKey(workspaceId, rotateOptions.subjectId ?? null, 'data');
    },

    async assertMasterKeyMatches() {
      const [workspaceId] = await store.workspaces();
      if (workspaceId === undefined) return;
      const row = (await store.list(workspaceId)).find((r) => r.purpose === 'data');
      if (!row) return;
      if (!masters.has(row.masterKeyId))
        throw new MasterKeyError(
          `the database's keys are wrapped under master key ${row.masterKeyId}, but the configured key is ${current.id}`,
        );
      unwrap(row);
    },

    async rotateMasterKey() {
      let rewrapped = 0;
      const workspaceIds = await store.workspaces();
      for (const workspaceId of workspaceIds) {
        for (const row of await store.list(workspaceId)) {
          if (row.masterKeyId === current.id) continue;
          const plain = unwrap(row);
          const wrapped = wrap(current.key, row, plain);
          if (
            await store.rewrap(workspaceId, row.keyId, row.masterKeyId, { masterKeyId: current.id, wrapped })
          )
            rewrapped++;
        }
        if (cache.has(workspaceId)) await refresh(workspaceId);
      }
      return { rewrapped, workspaces: workspaceIds.length };
    },

    async destroySubjectKeys(workspaceId, subjectId) {
      const removed = await store.deleteSubject(workspaceId, subjectId);
      const ws = cache.get(workspaceId);
      if (ws) {
        for (const row of [...ws.rows.values()])
          if (row.subjectId === subjectId) {
            ws.plain.delete(row.keyId);
            ws.rows.delete(row.keyId);
            created.delete(row.keyId);
          }
        for (const purpose of ['data', 'index'] as const) ws.newest.delete(slotOf(subjectId, purpose));
      }
      return removed;
    },

    async destroyWorkspaceKeys(workspaceId) {
      const removed = await store.deleteWorkspace(workspaceId);
      for (const row of cache.get(workspaceId)?.rows.values() ?? []) created.delete(row.keyId);
      cache.delete(workspaceId);
      ready.delete(workspaceId);
      return removed;
    },
  };
}

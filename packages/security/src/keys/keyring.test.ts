import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError } from './aead.ts';
import { normaliseForLookup } from './blindIndex.ts';
import { createKeyring, KeyringError, UnknownKeyError } from './keyring.ts';
import { createMemoryKeyStore } from './keyStore.ts';
import { generateMasterKey, MasterKeyError, masterKey, parseMasterKey } from './masterKey.ts';
import { parseSealed } from './sealedValue.ts';

const setup = () => {
  const store = createMemoryKeyStore();
  const kek = masterKey(generateMasterKey());
  const keyring = createKeyring({ masterKeys: [kek], store });
  return { store, kek, keyring };
};

describe('master key', () => {
  it('accepts 32 bytes as a Buffer, base64 or base64url', () => {
    const raw = randomBytes(32);
    expect(parseMasterKey(raw)).toEqual(raw);
    expect(parseMasterKey(raw.toString('base64'))).toEqual(raw);
    expect(parseMasterKey(` ${raw.toString('base64url')}\n`)).toEqual(raw);
  });
  it('refuses wrong lengths, non-base64 text and an all-zero key', () => {
    expect(() => parseMasterKey(randomBytes(16))).toThrow(MasterKeyError);
    expect(() => parseMasterKey('not base64 at all!')).toThrow(MasterKeyError);
    expect(() => parseMasterKey(Buffer.alloc(32))).toThrow(/zeros/);
  });
  it('has a stable id that differs between keys', () => {
    const a = generateMasterKey();
    expect(masterKey(a).id).toBe(masterKey(a).id);
    expect(masterKey(a).id).not.toBe(masterKey(generateMasterKey()).id);
  });
});

describe('keyring field codec', () => {
  it('seals to zk1:<keyId>:… and opens again; same input seals differently each time', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    const codec = keyring.codecFor('ws1');
    const sealed = codec.seal('张三丰 13812345678');
    expect(sealed).toMatch(/^zk1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('138');
    expect(codec.open(sealed)).toBe('张三丰 13812345678');
    expect(codec.seal('x')).not.toBe(codec.seal('x'));
    expect(codec.open(codec.seal(''))).toBe('');
  });

  it('refuses a value copied to another workspace or field, or tampered with', async () => {
    const { keyring, store } = setup();
    await keyring.load('ws1');
    await keyring.load('ws2');
    const a = keyring.codecFor('ws1');
    const b = keyring.codecFor('ws2');
    const sealed = a.seal('secret', 'customers.phone');
    expect(a.open(sealed, 'customers.phone')).toBe('secret');
    expect(() => a.open(sealed, 'customers.email')).toThrow(DecryptionError);
    expect(() => b.open(sealed, 'customers.phone')).toThrow(UnknownKeyError);
    // Even with ws1's key row copied into ws2 (same key id), the workspace AAD refuses it.
    const row = (await store.list('ws1')).find((r) => r.purpose === 'data')!;
    await store.insert({ ...row, workspaceId: 'ws2', version: 99 });
    await keyring.load('ws2');
    expect(() => keyring.codecFor('ws2').open(sealed, 'customers.phone')).toThrow(DecryptionError);
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => a.open(flipped, 'customers.phone')).toThrow();
    expect(() => a.open('plain text')).toThrow(/zk1/);
  });

  it('openAnySubject opens workspace-key and any customer-key values by their key id, field still bound', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    await keyring.ensureSubject('ws1', 'alice');
    await keyring.ensureSubject('ws1', 'bob');
    const older = keyring.codecFor('ws1').seal('旧值', 'customers.name');
    const alice = keyring.codecFor('ws1', { subjectId: 'alice' }).seal('爱丽丝', 'customers.name');
    const bob = keyring.codecFor('ws1', { subjectId: 'bob', openAnySubject: true });
    expect(bob.open(older, 'customers.name')).toBe('旧值');
    expect(bob.open(alice, 'customers.name')).toBe('爱丽丝');
    expect(() => bob.open(alice, 'customers.phone')).toThrow(DecryptionError);
    // Without the option a customer's codec keeps refusing others' values.
    expect(() => keyring.codecFor('ws1', { subjectId: 'bob' }).open(alice, 'customers.name')).toThrow(
      KeyringError,
    );
    await keyring.destroySubjectKeys('ws1', 'alice');
    expect(() => bob.open(alice, 'customers.name')).toThrow(UnknownKeyError);
  });

  it('a re-read keeps keys this process made whose rows are not visible yet (uncommitted transaction)', async () => {
    const store = createMemoryKeyStore();
    const hidden = new Set<string>();
    const keyring = createKeyring({
      masterKeys: [masterKey(generateMasterKey())],
      store: { ...store, list: async (ws) => (await store.list(ws)).filter((r) => !hidden.has(r.keyId)) },
    });
    await keyring.load('ws1');
    await keyring.ensureSubject('ws1', 'new-customer');
    const row = store.rows().find((r) => r.subjectId === 'new-customer')!;
    hidden.add(row.keyId);
    const codec = keyring.codecFor('ws1', { subjectId: 'new-customer', openAnySubject: true });
    await keyring.load('ws1'); // another writer's conflict or rollback makes the process re-read
    expect(codec.open(codec.seal('仍然可用', 'f'), 'f')).toBe('仍然可用');
  });

  it('codecFor is synchronous and needs load first', () => {
    const { keyring } = setup();
    expect(() => keyring.codecFor('ws1')).toThrow(KeyringError);
  });

  it('legacyPlaintext passes values written before encryption through', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    expect(keyring.codecFor('ws1', { legacyPlaintext: true }).open('old value')).toBe('old value');
  });

  it('isLoaded turns true only once the first keys exist (concurrent first use)', async () => {
    const { keyring } = setup();
    const pending = keyring.load('ws');
    expect(keyring.isLoaded('ws')).toBe(false);
    const many = Array.from({ length: 20 }, () => keyring.load('ws'));
    await Promise.all([pending, ...many]);
    expect(keyring.isLoaded('ws')).toBe(true);
    expect(keyring.codecFor('ws').open(keyring.codecFor('ws').seal('x'))).toBe('x');
  });

  it('two keyrings over one store agree on the first key (race on creation)', async () => {
    const store = createMemoryKeyStore();
    const kek = masterKey(generateMasterKey());
    const one = createKeyring({ masterKeys: [kek], store });
    const two = createKeyring({ masterKeys: [kek], store });
    await Promise.all([one.load('ws'), two.load('ws')]);
    expect(store.rows().filter((r) => r.purpose === 'data')).toHaveLength(1);
    expect(two.codecFor('ws').open(one.codecFor('ws').seal('hi'))).toBe('hi');
  });

  it('a customer key made by another process is read by subject, not by re-reading the workspace', async () => {
    const store = createMemoryKeyStore();
    const kek = masterKey(generateMasterKey());
    const one = createKeyring({ masterKeys: [kek], store });
    let workspaceReads = 0;
    const two = createKeyring({
      masterKeys: [kek],
      store: { ...store, list: (ws) => (workspaceReads++, store.list(ws)) },
    });
    await one.load('ws');
    await two.load('ws');
    const readsAfterLoad = workspaceReads;
    await one.ensureSubject('ws', 'written-on-one');
    const sealed = one.codecFor('ws', { subjectId: 'written-on-one' }).seal('张三', 'name');
    await two.ensureSubject('ws', 'written-on-one');
    expect(two.codecFor('ws', { subjectId: 'written-on-one' }).open(sealed, 'name')).toBe('张三');
    expect(store.rows().filter((r) => r.subjectId === 'written-on-one')).toHaveLength(1);
    expect(workspaceReads).toBe(readsAfterLoad);
  });

  it('a key made while a re-read is under way survives the re-read (no stale copy of the cache)', async () => {
    const store = createMemoryKeyStore();
    let gate: (() => void) | null = null;
    const keyring = createKeyring({
      masterKeys: [masterKey(generateMasterKey())],
      store: {
        ...store,
        // The new customer's insert waits until the re-read below has replaced the cache.
        insert: async (row) => {
          if (row.subjectId === 'slow-customer') await new Promise<void>((resolve) => (gate = resolve));
          return store.insert(row);
        },
      },
    });
    await keyring.load('ws1');
    const ensuring = keyring.ensureSubject('ws1', 'slow-customer');
    await expect.poll(() => gate).not.toBeNull();
    await keyring.load('ws1'); // a re-read finishing before the insert returns
    gate!();
    await ensuring;
    const codec = keyring.codecFor('ws1', { subjectId: 'slow-customer' });
    expect(codec.open(codec.seal('李四', 'name'), 'name')).toBe('李四');
  });
  it('rotateDataKey: new writes use the new key, old values still open', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    const before = keyring.codecFor('ws1').seal('old');
    const newKeyId = await keyring.rotateDataKey('ws1');
    const codec = keyring.codecFor('ws1');
    const after = codec.seal('new');
    expect(after.split(':')[1]).toBe(newKeyId);
    expect(before.split(':')[1]).not.toBe(newKeyId);
    expect(codec.open(before)).toBe('old');
    expect(codec.open(after)).toBe('new');
  });

  it('rotateMasterKey re-wraps every key without touching values; the old master can then go', async () => {
    const { keyring, store, kek } = setup();
    await keyring.load('ws1');
    await keyring.load('ws2');
    await keyring.ensureSubject('ws1', 'cust-1');
    const v1 = keyring.codecFor('ws1').seal('a');
    const v2 = keyring.codecFor('ws2').seal('b');
    const v3 = keyring.codecFor('ws1', { subjectId: 'cust-1' }).seal('c');
    const lookupBefore = keyring.codecFor('ws1').lookup('13812345678');

    const next = masterKey(generateMasterKey());
    const rotating = createKeyring({ masterKeys: [next, kek], store });
    expect(await rotating.rotateMasterKey()).toEqual({ rewrapped: 5, workspaces: 2 });
    expect(store.rows().every((r) => r.masterKeyId === next.id)).toBe(true);
    expect(await rotating.rotateMasterKey()).toEqual({ rewrapped: 0, workspaces: 2 });

    const after = createKeyring({ masterKeys: [next], store });
    await after.load('ws1');
    await after.load('ws2');
    expect(after.codecFor('ws1').open(v1)).toBe('a');
    expect(after.codecFor('ws2').open(v2)).toBe('b');
    expect(after.codecFor('ws1', { subjectId: 'cust-1' }).open(v3)).toBe('c');
    expect(after.codecFor('ws1').lookup('13812345678')).toBe(lookupBefore);

    await expect(after.assertMasterKeyMatches()).resolves.toBeUndefined();
    const stranger = createKeyring({ masterKeys: [masterKey(generateMasterKey())], store });
    await expect(stranger.assertMasterKeyMatches()).rejects.toThrow(/wrapped under master key/);
    const oldOnly = createKeyring({ masterKeys: [kek], store });
    await expect(oldOnly.load('ws1')).resolves.toBeUndefined();
    expect(() => oldOnly.codecFor('ws1')).toThrow(MasterKeyError);
  });

  it('refuses duplicate or missing master keys', () => {
    const kek = masterKey(generateMasterKey());
    const store = createMemoryKeyStore();
    expect(() => createKeyring({ masterKeys: [], store })).toThrow(MasterKeyError);
    expect(() => createKeyring({ masterKeys: [kek, kek], store })).toThrow(/duplicate/);
  });

  it('per-customer keys: destroying one customer makes only their values unreadable', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    await keyring.ensureSubject('ws1', 'alice');
    await keyring.ensureSubject('ws1', 'bob');
    const alice = keyring.codecFor('ws1', { subjectId: 'alice' });
    const bob = keyring.codecFor('ws1', { subjectId: 'bob' });
    const a = alice.seal('alice@example.com');
    const b = bob.seal('bob@example.com');
    expect(() => bob.open(a)).toThrow(/another customer/);
    expect(() => keyring.codecFor('ws1', { subjectId: 'carol' })).toThrow(/ensureSubject/);

    expect(await keyring.destroySubjectKeys('ws1', 'alice')).toBe(1);
    expect(() => alice.open(a)).toThrow(UnknownKeyError);
    expect(() => alice.seal('again')).toThrow(UnknownKeyError);
    expect(bob.open(b)).toBe('bob@example.com');
    // A fresh process reading the store cannot open it either.
    const other = createKeyring({
      masterKeys: [masterKey(generateMasterKey())],
      store: createMemoryKeyStore(),
    });
    await other.load('ws1');
    expect(() => other.codecFor('ws1').open(a)).toThrow(UnknownKeyError);
  });

  it('each customer’s newest key seals; after crypto-shredding the customer starts over with a new key', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    await keyring.ensureSubject('ws1', 'alice');
    await keyring.ensureSubject('ws1', 'bob');
    const before = keyring.codecFor('ws1', { subjectId: 'alice' }).seal('v1');
    const rotated = await keyring.rotateDataKey('ws1', { subjectId: 'alice' });
    const after = keyring.codecFor('ws1', { subjectId: 'alice' }).seal('v2');
    expect(parseSealed(after).keyId).toBe(rotated);
    expect(parseSealed(before).keyId).not.toBe(rotated);
    // Bob's newest key is his own, untouched by Alice's rotation.
    expect(parseSealed(keyring.codecFor('ws1', { subjectId: 'bob' }).seal('b')).keyId).not.toBe(rotated);

    expect(await keyring.destroySubjectKeys('ws1', 'alice')).toBe(2);
    expect(() => keyring.codecFor('ws1', { subjectId: 'alice' })).toThrow(/ensureSubject/);
    await keyring.ensureSubject('ws1', 'alice');
    const fresh = keyring.codecFor('ws1', { subjectId: 'alice' });
    expect(fresh.open(fresh.seal('重新开始'))).toBe('重新开始');
    expect(() => fresh.open(after)).toThrow(UnknownKeyError);
  });

  it('destroyWorkspaceKeys removes the workspace from store and memory', async () => {
    const { keyring, store } = setup();
    await keyring.load('ws1');
    const sealed = keyring.codecFor('ws1').seal('x');
    expect(await keyring.destroyWorkspaceKeys('ws1')).toBe(2);
    expect(store.rows()).toHaveLength(0);
    expect(keyring.isLoaded('ws1')).toBe(false);
    await keyring.load('ws1');
    expect(() => keyring.codecFor('ws1').open(sealed)).toThrow(UnknownKeyError);
  });
});

describe('blind index', () => {
  it('matches phone numbers however they are written, and emails case-insensitively', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    const c = keyring.codecFor('ws1');
    const phone = c.lookup('13812345678');
    for (const v of [
      '+86 138 1234 5678',
      '0086-138-1234-5678',
      '(+86) 138-1234-5678',
      '８６１３８１２３４５６７８',
    ])
      expect(c.lookup(v)).toBe(phone);
    expect(c.lookup('13812345679')).not.toBe(phone);
    expect(c.lookup(' Zhang.San@Example.COM ')).toBe(c.lookup('zhang.san@example.com'));
    expect(phone).toMatch(/^zb1:[A-Za-z0-9_-]{22}$/);
    expect(c.lookup('wx-openid-abc')).toBe(c.lookup('wx-openid-abc'));
  });

  it('differs between workspaces and does not change with data-key rotation', async () => {
    const { keyring } = setup();
    await keyring.load('ws1');
    await keyring.load('ws2');
    const before = keyring.codecFor('ws1').lookup('13812345678');
    expect(keyring.codecFor('ws2').lookup('13812345678')).not.toBe(before);
    await keyring.rotateDataKey('ws1');
    expect(keyring.codecFor('ws1').lookup('13812345678')).toBe(before);
  });

  it('normalises by kind or by shape', () => {
    expect(normaliseForLookup('+86 138-1234-5678')).toBe('p:13812345678');
    expect(normaliseForLookup('+1 (415) 555-0100')).toBe('p:14155550100');
    expect(normaliseForLookup('8613812345678', 'phone')).toBe('p:13812345678');
    expect(normaliseForLookup('A@B.cn')).toBe('e:a@b.cn');
    expect(normaliseForLookup(' visitor-1 ')).toBe('t:visitor-1');
  });
});

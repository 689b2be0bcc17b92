import { describe, expect, it } from 'vitest';
import { auditActions, isAuditAction } from './actions.ts';
import { type AuditEntry, canonicalJson, chainEntry, GENESIS_HASH, hashEntry, verifyChain } from './chain.ts';
import { clampRetentionDays, planPurge, retentionCutoff } from './retention.ts';

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();

function build(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      chainEntry(out.at(-1) ?? null, {
        id: `e${i}`,
        workspaceId: 'ws1',
        at: day(i * 10),
        actor: { type: 'user', id: 'u1' },
        action: i % 2 ? 'settings.changed' : 'auth.signed_in',
        target: i % 2 ? { type: 'inbox', id: 'in1' } : undefined,
        details: { setting: 'greeting', n: i, ok: true, none: null },
      }),
    );
  return out;
}

describe('audit chain', () => {
  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('links entries and verifies an intact chain', () => {
    const chain = build(50);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(verifyChain(chain)).toEqual({ ok: true, count: 50, head: chain[49]!.hash });
    expect(verifyChain([])).toMatchObject({ ok: true, count: 0 });
  });

  it('finds an edited row', () => {
    const chain = build(10);
    chain[4] = { ...chain[4]!, details: { ...chain[4]!.details, setting: 'sla' } };
    expect(verifyChain(chain)).toMatchObject({ ok: false, index: 4, id: 'e4', reason: 'hash_mismatch' });
    const retimed = build(10);
    retimed[7] = { ...retimed[7]!, at: day(1) };
    expect(verifyChain(retimed)).toMatchObject({ ok: false, index: 7, reason: 'hash_mismatch' });
  });

  it('finds an edited row even when the attacker recomputes its hash (next link breaks)', () => {
    const chain = build(10);
    const edited = { ...chain[4]!, actor: { type: 'system' as const, id: 'x' } };
    const { hash: _drop, ...rest } = edited;
    chain[4] = { ...edited, hash: hashEntry(rest) };
    expect(verifyChain(chain)).toMatchObject({ ok: false, index: 5, reason: 'prev_mismatch' });
  });

  it('finds a removed row and reordered rows', () => {
    const removed = build(10);
    removed.splice(3, 1);
    expect(verifyChain(removed)).toMatchObject({ ok: false, index: 3, id: 'e4', reason: 'prev_mismatch' });
    const swapped = build(10);
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, index: 2, reason: 'prev_mismatch' });
  });

  it('a removed tail is only visible against a recorded head', () => {
    const chain = build(10);
    const head = { seq: 10, hash: chain[9]!.hash };
    expect(verifyChain(chain.slice(0, 9))).toMatchObject({ ok: true });
    expect(verifyChain(chain.slice(0, 9), { expectedHead: head })).toMatchObject({
      ok: false,
      index: 9,
      seq: 10,
      expectedSeq: 10,
      reason: 'tail_missing',
    });
    expect(verifyChain([], { expectedHead: head })).toMatchObject({
      ok: false,
      seq: 1,
      reason: 'tail_missing',
    });
    expect(verifyChain(chain, { expectedHead: { seq: 10, hash: chain[8]!.hash } })).toMatchObject({
      ok: false,
      reason: 'head_mismatch',
    });
    expect(verifyChain(chain, { expectedHead: { seq: 9, hash: chain[8]!.hash } })).toMatchObject({
      ok: false,
      seq: 10,
      expectedSeq: 9,
      reason: 'head_mismatch',
    });
    expect(verifyChain(chain, { expectedHead: head })).toMatchObject({ ok: true });
  });

  it('refuses personal data in details and unknown actions', () => {
    const base = { id: 'x', workspaceId: 'ws', at: day(0), actor: { type: 'user' as const, id: 'u' } };
    expect(() => chainEntry(null, { ...base, action: 'pii.revealed', details: { email: 'a@b.cn' } })).toThrow(
      /personal data/,
    );
    expect(() =>
      chainEntry(null, { ...base, action: 'pii.revealed', details: { v: '138 1234 5678' } }),
    ).toThrow(/personal data/);
    for (const fine of ['2025-01-01T00:00:00.000Z', '01JABC13812345678XYZ', 'greeting', '42'])
      expect(() =>
        chainEntry(null, { ...base, action: 'settings.changed', details: { v: fine } }),
      ).not.toThrow();
    expect(() =>
      chainEntry(null, { ...base, action: 'pii.revealed', details: { v: '+1 415 555 0100' } }),
    ).toThrow();
    // @ts-expect-error not in the catalogue
    expect(() => chainEntry(null, { ...base, action: 'made.up', details: {} })).toThrow(/unknown/);
  });

  it('catalogue names are resource.past_tense', () => {
    for (const name of Object.keys(auditActions)) expect(name).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(isAuditAction('customer.erased')).toBe(true);
    expect(isAuditAction('toString')).toBe(false);
  });
});

describe('audit retention', () => {
  it('never keeps less than 365 days', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(clampRetentionDays(30)).toBe(365);
    expect(clampRetentionDays(Number.NaN)).toBe(365);
    expect(clampRetentionDays(730.9)).toBe(730);
    expect(retentionCutoff(now, 1).toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(retentionCutoff(now, 400).toISOString()).toBe('2025-04-27T00:00:00.000Z');
  });

  it('purges an old prefix and the rest still verifies from the checkpoint', () => {
    const chain = build(60); // one entry every 10 days from 2025-01-01
    const plan = planPurge(chain, new Date('2026-03-01T00:00:00Z'), 365);
    expect(plan.purge.length).toBeGreaterThan(0);
    expect(plan.purge.length).toBeLessThan(60);
    const kept = chain.slice(plan.purge.length);
    expect(verifyChain(kept)).toMatchObject({ ok: false, reason: 'prev_mismatch' });
    expect(verifyChain(kept, { anchor: plan.checkpoint! })).toMatchObject({ ok: true, count: kept.length });
    expect(planPurge(chain, new Date('2025-02-01T00:00:00Z'), 365)).toEqual({ purge: [], checkpoint: null });
  });
});

// Voice storage on both backends: calls keep their parties and recording key sealed and stay in their
// workspace; transcript segments are stored once per (call, seq) and read back in order; usage meters add
// up under concurrent writers; speech secrets are sealed and never part of the settings read.
import { createIdGenerator, systemClock, type WorkspaceStore } from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('voice repository on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const ws = newId();
  const other = newId();
  const created = '2026-11-01T00:00:00.000Z';
  const store = (id: string): WorkspaceStore => db.forWorkspace(id);

  const raw = async <T>(query: ReturnType<typeof sql<T>>) => {
    const { kysely } = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    try {
      return (await query.execute(kysely)).rows;
    } finally {
      await kysely.destroy();
    }
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [masterKey(generateMasterKey())] });
    await db.migrate();
    for (const [id, slug] of [
      [ws, 'voice-a'],
      [other, 'voice-b'],
    ] as const) {
      await db.directory.seedWorkspace({
        workspace: { id, slug, name: slug, locale: 'zh-CN', createdAt: created },
        owner: {
          id: newId(),
          workspaceId: id,
          email: `${slug}@x.test`,
          name: slug,
          role: 'owner',
          createdAt: created,
          passwordHash: 'x',
        },
        inboxes: [],
        faqs: [],
      });
    }
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const newCall = (id = newId()) => ({
    id,
    inboxId: newId(),
    conversationId: newId(),
    customerId: newId(),
    direction: 'inbound' as const,
    transport: 'sip' as const,
    fromUri: 'sip:13800138000@pbx.test',
    toUri: 'sip:zhike@pbx.test',
    state: 'bot' as const,
    startedAt: '2026-11-02T08:00:00.000Z',
    answeredAt: '2026-11-02T08:00:00.100Z',
  });

  it('creates, moves on and lists calls sealed, in their own workspace only', async () => {
    const call = await store(ws).voice.calls.create(newCall());
    expect(call).toMatchObject({
      state: 'bot',
      fromUri: 'sip:13800138000@pbx.test',
      recording: null,
      trace: [],
    });
    const updated = await store(ws).voice.calls.update(call.id, {
      state: 'ended',
      endedAt: '2026-11-02T08:01:30.000Z',
      endReason: 'caller-hangup',
      recording: { fileId: newId(), fileKey: 'a2V5LWtleS1rZXk', durationMs: 90_000, size: 2_880_044 },
      trace: [{ atMs: 5, stage: 'sip', name: 'INVITE received' }],
      usage: { talkSeconds: 90, asrSeconds: 4.25, ttsCharacters: 31 },
    });
    expect(updated).toMatchObject({
      state: 'ended',
      endReason: 'caller-hangup',
      recording: { fileKey: 'a2V5LWtleS1rZXk', durationMs: 90_000 },
      trace: [{ name: 'INVITE received' }],
      usage: { talkSeconds: 90, asrSeconds: 4.25, ttsCharacters: 31 },
    });
    expect(await store(other).voice.calls.get(call.id)).toBeNull();
    expect(await store(other).voice.calls.update(call.id, { state: 'agent' })).toBeNull();
    expect((await store(ws).voice.calls.get(call.id))?.state).toBe('ended');
    const rows = await raw(sql<{ fromUri: string; key: string }>`
      select from_uri as "fromUri", recording_key as key from calls where id = ${call.id}`);
    expect(rows[0]?.fromUri).not.toContain('13800138000');
    expect(rows[0]?.key).not.toBe('a2V5LWtleS1rZXk');

    const second = await store(ws).voice.calls.create(newCall());
    const listed = await store(ws).voice.calls.list({ limit: 10 });
    expect(listed.map((c) => c.id)).toEqual([second.id, call.id]);
    expect((await store(ws).voice.calls.list({ limit: 10, before: second.id })).map((c) => c.id)).toEqual([
      call.id,
    ]);
    expect((await store(ws).voice.calls.list({ limit: 10, state: 'ended' })).map((c) => c.id)).toEqual([
      call.id,
    ]);
    expect(await store(other).voice.calls.list({ limit: 10 })).toEqual([]);
    const expired = await store(ws).voice.calls.withRecordingEndedBefore('2026-11-03T00:00:00.000Z', 10);
    expect(expired.map((c) => c.id)).toEqual([call.id]);
    expect(await store(ws).voice.calls.withRecordingEndedBefore('2026-11-02T00:00:00.000Z', 10)).toEqual([]);
  });

  it('stores transcript segments once, in order, sealed', async () => {
    const call = await store(ws).voice.calls.create(newCall());
    const seg = (seq: number, speaker: 'caller' | 'bot', text: string) => ({
      callId: call.id,
      seq,
      speaker,
      startMs: seq * 1000,
      endMs: seq * 1000 + 800,
      text,
      language: 'zh-CN',
    });
    await store(ws).voice.transcript.add([seg(1, 'bot', '订单已发货'), seg(0, 'caller', '我的订单到哪了')]);
    await store(ws).voice.transcript.add([seg(0, 'caller', '重复写入')]);
    const list = await store(ws).voice.transcript.list(call.id);
    expect(list.map((s) => [s.seq, s.speaker, s.text])).toEqual([
      [0, 'caller', '我的订单到哪了'],
      [1, 'bot', '订单已发货'],
    ]);
    expect(await store(other).voice.transcript.list(call.id)).toEqual([]);
    const rows = await raw(sql<{ text: string }>`
      select text from call_transcript_segments where call_id = ${call.id}`);
    expect(rows.map((r) => r.text).join()).not.toContain('订单');
  });

  it('adds usage atomically per day', async () => {
    const delta = {
      calls: 1,
      inboundSeconds: 61,
      outboundSeconds: 0,
      inboundMinutes: 2,
      outboundMinutes: 0,
      asrSeconds: 1.5,
      ttsCharacters: 10,
    };
    await Promise.all(Array.from({ length: 5 }, () => store(ws).voice.usage.add('2026-11-02', delta)));
    await store(ws).voice.usage.add('2026-11-03', { ...delta, inboundSeconds: 5, inboundMinutes: 1 });
    await store(other).voice.usage.add('2026-11-02', delta);
    const days = await store(ws).voice.usage.list('2026-11-01', '2026-11-30');
    expect(days).toEqual([
      {
        day: '2026-11-02',
        calls: 5,
        inboundSeconds: 305,
        outboundSeconds: 0,
        inboundMinutes: 10,
        outboundMinutes: 0,
        asrSeconds: 7.5,
        ttsCharacters: 50,
      },
      {
        day: '2026-11-03',
        calls: 1,
        inboundSeconds: 5,
        outboundSeconds: 0,
        inboundMinutes: 1,
        outboundMinutes: 0,
        asrSeconds: 1.5,
        ttsCharacters: 10,
      },
    ]);
    expect((await store(ws).voice.usage.list('2026-11-03', '2026-11-03')).length).toBe(1);
  });

  it('keeps speech secrets sealed and apart from the settings', async () => {
    expect(await store(ws).voice.speechSettings.get()).toBeNull();
    expect(await store(ws).voice.speechSettings.secrets()).toEqual({});
    await store(ws).voice.speechSettings.save({
      settings: { asr: { provider: 'tencent', region: 'ap-shanghai' } },
      secrets: { 'asr.secretKey': 'tencent-secret-123' },
      at: created,
    });
    const read = await store(ws).voice.speechSettings.get();
    expect(read).toEqual({
      settings: { asr: { provider: 'tencent', region: 'ap-shanghai' } },
      secretsSet: ['asr.secretKey'],
      updatedAt: created,
    });
    expect(await store(ws).voice.speechSettings.secrets()).toEqual({ 'asr.secretKey': 'tencent-secret-123' });
    expect(await store(other).voice.speechSettings.get()).toBeNull();
    const rows = await raw(sql<{ secrets: string }>`select secrets from speech_settings`);
    expect(rows.map((r) => r.secrets).join()).not.toContain('tencent-secret-123');
    await store(ws).voice.speechSettings.save({ settings: {}, secrets: {}, at: created });
    expect(await store(ws).voice.speechSettings.secrets()).toEqual({});
  });

  it("deletes a customer's calls and old transcripts, in its own workspace only", async () => {
    const call = await store(ws).voice.calls.create(newCall());
    await store(ws).voice.calls.update(call.id, {
      state: 'ended',
      endedAt: '2026-11-02T08:05:00.000Z',
      recording: { fileId: call.id, fileKey: 'a2V5', durationMs: 1000, size: 16044 },
    });
    const seg = {
      callId: call.id,
      seq: 0,
      speaker: 'caller' as const,
      startMs: 0,
      endMs: 1,
      text: '喂',
      language: null,
    };
    await store(ws).voice.transcript.add([seg]);
    expect(await store(other).voice.transcript.deleteEndedBefore('2027-01-01T00:00:00.000Z')).toBe(0);
    expect(await store(ws).voice.transcript.deleteEndedBefore('2026-11-02T08:00:00.000Z')).toBe(0);
    expect(
      await store(ws).voice.transcript.deleteEndedBefore('2026-11-02T09:00:00.000Z'),
    ).toBeGreaterThanOrEqual(1);
    expect(await store(ws).voice.transcript.list(call.id)).toEqual([]);
    await store(ws).voice.transcript.add([seg]);
    expect(await store(other).voice.calls.deleteForCustomer(call.customerId)).toEqual({
      calls: 0,
      recordingFileIds: [],
    });
    expect(await store(ws).voice.calls.deleteForCustomer(call.customerId)).toEqual({
      calls: 1,
      recordingFileIds: [call.id],
    });
    expect(await store(ws).voice.calls.get(call.id)).toBeNull();
    expect(await store(ws).voice.transcript.list(call.id)).toEqual([]);
  });
});

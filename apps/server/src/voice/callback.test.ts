// An agent's call-back through createCallbacks on the demo shop, with in-memory legs and a scripted SIP
// call: the customer's phone is dialled through the trunk inbox, the agent hears ring-back, then the
// customer; the call is stored outbound in the conversation with the agent, recorded and metered. A busy
// or unanswered phone ends stored with why; another workspace's conversation, a number that is not the
// customer's, a customer without a phone and a workspace without a voice inbox are refused.
import { toNewIdentity } from '@zhike/core';
import type {
  AudioFrame,
  CallEnded,
  CallParty,
  CallTrace,
  DtmfDigit,
  MediaLeg,
  Playback,
  TraceEvent,
} from '@zhike/voice';
import { FRAME_SAMPLES } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newConversation } from '../../../../packages/core/src/conversations/newConversation.ts';
import { createTestApp, eventually, type TestApp } from '../testing.ts';
import { type CallbackProgress, createCallbacks, type PlacedCall } from './callback.ts';

class MemoryLeg implements MediaLeg {
  readonly codec = 'PCMU' as const;
  private audio = new Set<(f: AudioFrame) => void>();
  private sent = new Set<(f: AudioFrame) => void>();
  private closeLeg!: () => void;
  readonly closed = new Promise<void>((resolve) => {
    this.closeLeg = resolve;
  });
  isClosed = false;
  played: Int16Array[] = [];
  constructor(readonly id: string) {}
  onAudio(l: (f: AudioFrame) => void) {
    this.audio.add(l);
    return () => this.audio.delete(l);
  }
  onDtmf(_l: (d: DtmfDigit) => void) {
    return () => {};
  }
  onSent(l: (f: AudioFrame) => void) {
    this.sent.add(l);
    return () => this.sent.delete(l);
  }
  play(samples: Int16Array): Playback {
    this.played.push(samples);
    for (let at = 0; at < samples.length; at += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(samples.subarray(at, at + FRAME_SAMPLES));
      for (const l of this.sent) l(frame);
    }
    return { stop() {}, done: Promise.resolve('finished') };
  }
  /** The far end speaks one frame. */
  say(frame: Int16Array) {
    for (const l of this.audio) l(frame);
  }
  stopPlayback() {}
  async sendDtmf() {}
  setMuted() {}
  close() {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeLeg();
  }
  stats() {
    return { packetsSent: 0, packetsReceived: 0, lateSent: 0, droppedReceived: 0 };
  }
}

/** The SIP side scripted: answers (with `media`) or ends with `ended` once `settle` is called. */
class ScriptedCall implements PlacedCall {
  readonly id = `sip-${Math.random().toString(36).slice(2)}`;
  readonly from: CallParty = { uri: 'sip:4008001234@127.0.0.1' };
  readonly to: CallParty = { uri: 'sip:13800138000@127.0.0.1' };
  readonly startedAt = new Date();
  readonly events: TraceEvent[] = [];
  readonly trace: CallTrace = {
    add: (e) => this.events.push({ ...e, atMs: e.atMs ?? 0 }),
    events: () => this.events,
  };
  media: MediaLeg | null = null;
  hungUp = false;
  private ringing = new Set<() => void>();
  private result: { resolve(): void; reject(e: CallEnded): void } | null = null;
  private readonly answer = new Promise<void>((resolve, reject) => {
    this.result = { resolve, reject };
  });
  on(_event: 'ringing', listener: () => void) {
    this.ringing.add(listener);
    return () => this.ringing.delete(listener);
  }
  ring() {
    for (const l of this.ringing) l();
  }
  answerWith(leg: MediaLeg) {
    this.media = leg;
    this.result?.resolve();
  }
  end(ended: CallEnded) {
    this.result?.reject(ended);
  }
  waitForAnswer() {
    return this.answer;
  }
  async hangup() {
    this.hungUp = true;
    this.media?.close();
    this.end({ cause: 'cancelled' } as CallEnded);
  }
}

describe('an agent calls a customer back', () => {
  let t: TestApp;
  let workspaceId: string;
  let agentId: string;
  let inboxId: string;
  let conversationId: string;
  let customerId: string;
  let noPhoneConversationId: string;
  const dialled: { target: string; request: Record<string, unknown>; call: ScriptedCall }[] = [];

  const callbacks = () =>
    createCallbacks({
      db: t.app.zhike.db,
      commands: t.app.zhike.commands,
      calls: t.app.zhike.voice.calls,
      liveCalls: t.app.zhike.voice.liveCalls,
      log: t.app.zhike.log,
      clock: t.app.zhike.voice.clock,
      newId: t.app.zhike.newId,
      dial: () => async (target, request) => {
        const call = new ScriptedCall();
        dialled.push({ target, request: { ...request }, call });
        return call;
      },
      ringTimeoutMs: 30_000,
    });

  const place = (target: { conversationId: string } | { customerId: string }, extra = {}) => {
    const progress: CallbackProgress[] = [];
    const agentLeg = new MemoryLeg('agent');
    const placed = callbacks().place({
      workspaceId,
      agentId,
      target,
      agentLeg,
      onProgress: (p) => progress.push(p),
      ...extra,
    });
    return { placed, progress, agentLeg };
  };

  async function customerWith(phone: string | null) {
    const { db, newId } = t.app.zhike;
    const store = db.forWorkspace(workspaceId);
    const now = new Date().toISOString();
    const customer = await store.customers.create({
      id: newId(),
      name: '王女士',
      email: null,
      phone,
      identity: toNewIdentity({ kind: 'visitor', value: `v-${newId()}` }, 'widget'),
      createdAt: now,
    });
    if (!customer) throw new Error('no customer');
    const widget = (await store.inboxes.list()).find((i) => i.channel === 'widget');
    if (!widget) throw new Error('no widget inbox');
    const conversation = newConversation({
      id: newId(),
      workspaceId,
      inbox: widget,
      customerId: customer.id,
      now,
    });
    await store.conversations.create(conversation);
    return { customerId: customer.id, conversationId: conversation.id };
  }

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const owner = await t.login();
    agentId = owner.info.user.id;
    workspaceId = await t.demoWorkspaceId();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '客服热线',
        adapter: 'sip-voice',
        config: { mode: 'trunk', allowedSources: '127.0.0.1', numbers: '4008001234' },
      },
    });
    expect(created.statusCode).toBe(201);
    inboxId = created.json().id;
    ({ customerId, conversationId } = await customerWith('138 0013 8000'));
    noPhoneConversationId = (await customerWith(null)).conversationId;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('dials the customer, rings back to the agent, bridges, records and meters the call', async () => {
    const { placed, progress, agentLeg } = place({ conversationId });
    const started = await placed;
    expect(started.conversationId).toBe(conversationId);
    const sip = await eventually(() => dialled.at(-1)?.call);
    expect(dialled.at(-1)).toMatchObject({
      target: 'sip:13800138000@127.0.0.1',
      request: { from: 'sip:4008001234@127.0.0.1', ringTimeoutMs: 30_000 },
    });
    const store = t.app.zhike.db.forWorkspace(workspaceId);
    expect(await store.voice.calls.get(started.callId)).toMatchObject({
      state: 'ringing',
      direction: 'outbound',
      agentId,
      customerId,
      conversationId,
      inboxId,
    });
    sip.ring();
    // The agent hears the 450 Hz ring-back while it rings.
    expect(agentLeg.played.length).toBeGreaterThan(0);
    expect(Math.max(...agentLeg.played[0]!.slice(0, 400))).toBeGreaterThan(3000);

    const customerLeg = new MemoryLeg('customer');
    sip.answerWith(customerLeg);
    await eventually(() => t.app.zhike.voice.liveCalls.get(workspaceId, started.callId)?.state === 'agent');
    expect(progress).toEqual(['dialling', 'ringing', 'answered']);
    // Bridged both ways.
    const agentHeard = agentLeg.played.length;
    const voice = new Int16Array(FRAME_SAMPLES).fill(5000);
    customerLeg.say(voice);
    expect(agentLeg.played.length).toBe(agentHeard + 1);
    agentLeg.say(voice);
    expect(customerLeg.played.at(-1)).toEqual(voice);

    t.app.zhike.voice.liveCalls.hangup(workspaceId, started.callId);
    expect(await started.done).toBe('answered');
    expect(sip.hungUp).toBe(true);
    const stored = await store.voice.calls.get(started.callId);
    expect(stored).toMatchObject({ state: 'ended', endReason: 'agent-hangup', agentId });
    expect(stored?.answeredAt).not.toBeNull();
    expect(stored?.agentAnsweredAt).not.toBeNull();
    expect(stored?.recording?.size).toBeGreaterThan(44);
  });

  it('stores a busy or unanswered phone as the outcome and frees the agent', async () => {
    for (const [ended, outcome, reason] of [
      [{ cause: 'busy', status: 486 }, 'busy', 'failed'],
      [{ cause: 'no-answer' }, 'no_answer', 'timeout'],
      [{ cause: 'declined', status: 603 }, 'rejected', 'failed'],
    ] as const) {
      const { placed, progress, agentLeg } = place({ customerId });
      const started = await placed;
      const sip = await eventually(() => dialled.at(-1)?.call);
      sip.end(ended as unknown as CallEnded);
      expect(await started.done).toBe(outcome);
      expect(progress).toEqual(['dialling', outcome]);
      expect(agentLeg.isClosed).toBe(true);
      const stored = await t.app.zhike.db.forWorkspace(workspaceId).voice.calls.get(started.callId);
      expect(stored).toMatchObject({ state: 'ended', endReason: reason, direction: 'outbound', agentId });
      expect(stored?.trace.at(-1)).toMatchObject({ stage: 'sip', name: `callback.${outcome}` });
      // By customer id: a conversation of its own on the voice inbox.
      expect(stored?.conversationId).not.toBe(conversationId);
    }
  });

  it('ends as failed when the line cannot dial or the SIP call misbehaves, never left ringing', async () => {
    const broken = (dial: () => Promise<PlacedCall>) =>
      createCallbacks({
        db: t.app.zhike.db,
        commands: t.app.zhike.commands,
        calls: t.app.zhike.voice.calls,
        liveCalls: t.app.zhike.voice.liveCalls,
        log: t.app.zhike.log,
        clock: t.app.zhike.voice.clock,
        newId: t.app.zhike.newId,
        dial: () => dial,
        ringTimeoutMs: 30_000,
      });
    const misbehaving = Object.assign(new ScriptedCall(), {
      on: () => {
        throw new Error('listener table corrupt');
      },
    });
    for (const dial of [
      () => Promise.reject(new Error('the user agent is stopping')),
      () => Promise.resolve(misbehaving),
    ]) {
      const progress: CallbackProgress[] = [];
      const agentLeg = new MemoryLeg('agent');
      const started = await broken(dial).place({
        workspaceId,
        agentId,
        target: { conversationId },
        agentLeg,
        onProgress: (p) => progress.push(p),
      });
      expect(await started.done).toBe('failed');
      expect(progress).toEqual(['dialling', 'failed']);
      expect(agentLeg.isClosed).toBe(true);
      const stored = await t.app.zhike.db.forWorkspace(workspaceId).voice.calls.get(started.callId);
      expect(stored).toMatchObject({ state: 'ended', endReason: 'failed' });
    }
  });

  it('cancels the dialling when the agent hangs up while it rings', async () => {
    const { placed, agentLeg } = place({ conversationId });
    const started = await placed;
    const sip = await eventually(() => dialled.at(-1)?.call);
    agentLeg.close();
    await started.done;
    expect(sip.hungUp).toBe(true);
    const stored = await t.app.zhike.db.forWorkspace(workspaceId).voice.calls.get(started.callId);
    expect(stored).toMatchObject({ state: 'ended', endReason: 'agent-hangup' });
  });

  it('refuses numbers, customers, conversations and lines that are not this workspace’s to call', async () => {
    const calls = dialled.length;
    await expect(place({ conversationId }, { phone: '13900000000' }).placed).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(place({ conversationId: noPhoneConversationId }).placed).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(place({ conversationId }, { inboxId: 'not-an-inbox' }).placed).rejects.toMatchObject({
      code: 'not_found',
    });
    // Another workspace: the same ids are as absent as none, and it has no line to call from.
    const { db, newId } = t.app.zhike;
    const otherId = newId();
    const now = new Date().toISOString();
    await db.directory.seedWorkspace({
      workspace: {
        id: otherId,
        slug: `other-${otherId.slice(-6)}`,
        name: 'other',
        locale: 'zh-CN',
        createdAt: now,
      },
      owner: {
        id: newId(),
        workspaceId: otherId,
        email: `o-${otherId}@other.test`,
        name: 'o',
        role: 'owner',
        createdAt: now,
        passwordHash: 'x',
      },
      inboxes: [],
      faqs: [],
    });
    const other = (target: { conversationId: string } | { customerId: string }) =>
      callbacks().place({
        workspaceId: otherId,
        agentId,
        target,
        agentLeg: new MemoryLeg('agent'),
        onProgress: () => {},
      });
    await expect(other({ conversationId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(other({ customerId })).rejects.toMatchObject({ code: 'not_found' });
    expect(dialled.length).toBe(calls);
    // Exactly the customer's own number (formatted differently) is accepted.
    const ok = place({ conversationId }, { phone: '138-0013-8000' });
    const started = await ok.placed;
    const sip = await eventually(() => dialled.at(-1)?.call);
    expect(dialled.at(-1)?.target).toBe('sip:13800138000@127.0.0.1');
    sip.end({ cause: 'busy', status: 486 } as unknown as CallEnded);
    await started.done;
  });
});

// Two real baresip instances call each other directly; the callee's recording of what it heard holds the
// caller's clip (and the ctrl_tcp events, DTMF and hang-up work as the helpers promise).
import { afterAll, describe, expect, it } from 'vitest';
import { type Baresip, startBaresip } from './baresip.js';
import { createClips } from './clips.js';
import { encodeNetstring, NetstringDecoder } from './ctrlTcp.js';
import { monoSamples, rms, voicedSeconds } from './wav.js';

describe('netstring framing', () => {
  it('splits frames across chunks and rejects malformed ones', () => {
    const d = new NetstringDecoder();
    const bytes = Buffer.concat([encodeNetstring('{"a":1}'), encodeNetstring('你好')]);
    expect(d.push(bytes.subarray(0, 5))).toEqual([]);
    expect(d.push(bytes.subarray(5)).map((b) => b.toString())).toEqual(['{"a":1}', '你好']);
    expect(() => new NetstringDecoder().push(Buffer.from('3:abc;'))).toThrow(/comma/);
    expect(() => new NetstringDecoder().push(Buffer.from('x:abc,'))).toThrow(/length/);
  });
});

describe('baresip harness', () => {
  const started: Baresip[] = [];
  afterAll(async () => {
    await Promise.all(started.map((b) => b.stop()));
  });

  it('a call between two instances carries the caller clip to the callee', async () => {
    const clips = createClips();
    const question = await clips.sequence(['你好，我想查询订单状态', { silence: 1 }]);
    const quiet = await clips.silence(30);
    const callee = await startBaresip({ account: { user: 'callee' }, source: quiet, autoAnswer: true });
    started.push(callee);
    const caller = await startBaresip({ account: { user: 'caller' }, source: question });
    started.push(caller);

    await caller.dial(callee.uri);
    await caller.waitFor('CALL_ESTABLISHED');
    await callee.waitFor('CALL_ESTABLISHED');
    await caller.sendDtmf('12#');
    // The caller's clip ends after ~4 s, then baresip hangs up by itself.
    await callee.waitFor('CALL_CLOSED', 15_000);
    await caller.waitFor('CALL_CLOSED', 5000);

    const heard = monoSamples(callee.lastReceived());
    expect(heard.length).toBeGreaterThan(8000 * 2);
    expect(rms(heard)).toBeGreaterThan(0.02);
    expect(voicedSeconds(heard, 8000)).toBeGreaterThan(1.5);
    // What the caller heard from the silent callee is silent: the check can fail.
    expect(rms(monoSamples(caller.lastReceived()))).toBeLessThan(0.005);
    expect(caller.output()).toMatch(/send DTMF digit: '1'/);
  });
});

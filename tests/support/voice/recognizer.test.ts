// The envelope recogniser knows its phrases through a phone line and at other rates, and nothing else:
// silence, noise, an unknown phrase, a clipped phrase or two phrases glued together give no text.
import { describe, expect, it } from 'vitest';
import { createClips } from './clips.js';
import { mulawRoundTrip } from './mulaw.js';
import { createRecognizer, transcribeReceived } from './recognizer.js';
import { encodeWav, monoSamples, parseWav, readWav } from './wav.js';

const candidates = ['你好，我想查询订单状态', '转人工', '您的订单已发货，预计明天送达', '您的订单已签收'];
const clips = createClips();
const recognizer = createRecognizer({ clips });
const load = async (path: string | Promise<string>) => monoSamples(readWav(await path));

describe('envelope recogniser', () => {
  it('recognises each candidate after a G.711 round trip, at 8 and 16 kHz, and at another speed', async () => {
    for (const text of candidates) {
      const phone = mulawRoundTrip(await load(clips.speech(text)));
      expect((await recognizer.recognise(phone, 8000, candidates))?.text).toBe(text);
      const wide = await load(clips.speech(text, { rate: 16_000 }));
      expect((await recognizer.recognise(wide, 16_000, candidates))?.text).toBe(text);
      const slower = await load(clips.speech(text, { speed: 160 }));
      expect((await recognizer.recognise(slower, 8000, candidates))?.text).toBe(text);
    }
  });

  it('recognises a phrase with silence around it and lower gain', async () => {
    const padded = await load(clips.sequence([{ silence: 0.7 }, '您的订单已签收', { silence: 1.2 }]));
    const quieter = padded.map((s) => Math.round(s * 0.3));
    const r = await recognizer.recognise(quieter, 8000, candidates);
    expect(r?.text).toBe('您的订单已签收');
    expect(r?.score).toBeGreaterThan(0.9);
  });

  it('gives no text for silence, noise, an unknown phrase, a clipped phrase or glued phrases', async () => {
    expect(await recognizer.recognise(new Int16Array(16_000), 8000, candidates)).toBeUndefined();
    let seed = 7;
    const noise = new Int16Array(24_000).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed % 8000) - 4000;
    });
    expect(await recognizer.recognise(noise, 8000, candidates)).toBeUndefined();
    const other = await load(clips.speech('今天天气很好，我们去公园吧'));
    expect(await recognizer.recognise(other, 8000, candidates)).toBeUndefined();
    const full = await load(clips.speech('您的订单已发货，预计明天送达'));
    expect(
      await recognizer.recognise(full.slice(0, Math.floor(full.length / 2)), 8000, candidates),
    ).toBeUndefined();
    const glued = await load(clips.sequence(['你好，我想查询订单状态', { silence: 0.3 }, '转人工']));
    expect(await recognizer.recognise(glued, 8000, candidates)).toBeUndefined();
  });

  it('rejects bad input clearly', async () => {
    await expect(recognizer.recognise(new Int16Array(800), 1000, candidates)).rejects.toThrow(/sample rate/);
    await expect(recognizer.recognise(new Int16Array(800), 8000, [])).rejects.toThrow(/no candidate/);
  });

  it('finds the answers a SIP client heard in a long recording, in order', async () => {
    const path = await clips.sequence([
      { silence: 1 },
      '您的订单已发货，预计明天送达',
      { silence: 2 },
      '转人工',
      { silence: 1 },
    ]);
    const phone = mulawRoundTrip(await load(path));
    const found = await transcribeReceived(parseWav(encodeWav(phone, 8000)), candidates, { clips });
    expect(found.map((f) => f.text).sort()).toEqual(['您的订单已发货，预计明天送达', '转人工'].sort());
    const byTime = [...found].sort((a, b) => a.atSeconds - b.atSeconds);
    expect(byTime[0]!.text).toBe('您的订单已发货，预计明天送达');
    expect(byTime[0]!.atSeconds).toBeGreaterThan(0.8);
    expect(byTime[0]!.atSeconds).toBeLessThan(1.3);
    // The question is not in the recording, nor is the other order status.
    expect(found.some((f) => f.text === '您的订单已签收')).toBe(false);
  });
});

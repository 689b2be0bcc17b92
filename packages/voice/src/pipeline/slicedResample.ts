// Rate conversion in slices that yield to the event loop between them: converting seconds of TTS or
// caller audio in one go blocks for tens of milliseconds, which would hold up the 20 ms RTP clocks of
// every other call in the process.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { StreamingResampler } from '../codecs/resample.ts';

/** Input per slice: ~5 ms of work on the build machine for 22.05 kHz → 8 kHz. */
const SLICE_MS = 250;

/** The converted audio, slice by slice; the first slice is ready after one slice's work. */
export async function* resampleInSlices(
  samples: Int16Array,
  fromRate: number,
  toRate: number,
): AsyncGenerator<Int16Array> {
  if (fromRate === toRate) {
    yield samples;
    return;
  }
  const resampler = new StreamingResampler(fromRate, toRate);
  const slice = Math.max(1, Math.round((fromRate * SLICE_MS) / 1000));
  for (let i = 0; i < samples.length; i += slice) {
    const out = resampler.push(samples.subarray(i, Math.min(samples.length, i + slice)));
    if (out.length > 0) yield out;
    await yieldToEventLoop();
  }
  const tail = resampler.flush();
  if (tail.length > 0) yield tail;
}

/** The whole converted audio, made slice by slice. */
export async function resampleYielding(
  samples: Int16Array,
  fromRate: number,
  toRate: number,
): Promise<Int16Array> {
  if (fromRate === toRate) return samples;
  const parts: Int16Array[] = [];
  let length = 0;
  for await (const part of resampleInSlices(samples, fromRate, toRate)) {
    parts.push(part);
    length += part.length;
  }
  const out = new Int16Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

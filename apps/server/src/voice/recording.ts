// A call's dual-channel recording: the caller on the left, what we sent them (bot or agent) on the right,
// both taken from the caller's leg on its 20 ms clock so they stay aligned; written as an 8 kHz stereo WAV
// and stored encrypted (ZKF1 streaming AES-256-GCM, its own random key, sealed into the call row).
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobStore, writerSettled } from '@zhike/providers';
import { decryptStream, encryptStream } from '@zhike/security';
import { type AudioFrame, FRAME_SAMPLES, type MediaLeg, SAMPLE_RATE, writeWav } from '@zhike/voice';

/** A tap on the caller's leg; `stop` returns the WAV and detaches. */
export interface CallRecorder {
  stop(): { wav: Buffer; durationMs: number };
}

/** Hours of audio at most (8 kHz stereo 16-bit ≈ 115 MB per hour); a longer call keeps its first hours. */
const MAX_FRAMES = (4 * 3600 * 1000) / 20;

export function recordCall(leg: MediaLeg): CallRecorder {
  // Frames are appended per side; a side that fell behind (no packet this tick) is padded at the end.
  const inbound: AudioFrame[] = [];
  const sent: AudioFrame[] = [];
  const offIn = leg.onAudio((frame) => {
    if (inbound.length < MAX_FRAMES) inbound.push(frame.slice());
  });
  const offOut = leg.onSent((frame) => {
    if (sent.length < MAX_FRAMES) sent.push(frame.slice());
  });
  return {
    stop() {
      offIn();
      offOut();
      const frames = Math.max(inbound.length, sent.length);
      const samples = new Int16Array(frames * FRAME_SAMPLES * 2);
      for (let f = 0; f < frames; f++) {
        const left = inbound[f];
        const right = sent[f];
        for (let i = 0; i < FRAME_SAMPLES; i++) {
          const at = (f * FRAME_SAMPLES + i) * 2;
          samples[at] = left?.[i] ?? 0;
          samples[at + 1] = right?.[i] ?? 0;
        }
      }
      return { wav: writeWav({ sampleRate: SAMPLE_RATE, channels: 2, samples }), durationMs: frames * 20 };
    },
  };
}

export interface RecordingFiles {
  save(workspaceId: string, id: string, wav: Buffer): Promise<{ fileKey: string; size: number }>;
  /** The decrypted WAV; authentication failures surface as stream errors. */
  open(workspaceId: string, id: string, fileKey: string): Readable;
  remove(workspaceId: string, id: string): Promise<void>;
  exists(workspaceId: string, id: string): Promise<boolean>;
  /** The file's key in the store (`recordings/<workspace>/<id>.zkf`). */
  keyOf(workspaceId: string, id: string): string;
}

const SLICE = 1024 * 1024;

/** The key prefix of call recordings: a folder of the data directory, or of the bucket (a backup carries it). */
export const RECORDINGS_FOLDER = 'recordings';

/**
 * Recordings in the app's file store. A WAV is up to 4 hours (≈ 460 MB); the store takes it as a stream of
 * ciphertext (the S3 store in multipart parts of a few MB), so no second copy of it is made in memory.
 */
export function createRecordingFiles(store: BlobStore): RecordingFiles {
  // Ids are UUIDs; the guard keeps anything else from naming another file.
  const safe = (part: string) => {
    if (!/^[0-9a-f-]{36}$/.test(part)) throw new Error('bad recording path component');
    return part;
  };
  const keyOf = (workspaceId: string, id: string) =>
    `${RECORDINGS_FOLDER}/${safe(workspaceId)}/${safe(id)}.zkf`;
  return {
    keyOf,
    async save(workspaceId, id, wav) {
      const key = randomBytes(32);
      // Fed a slice at a time (views, not copies): whole, the WAV would come out of the cipher as one
      // burst of ciphertext as large as itself, held until the store took it.
      const slices = function* () {
        for (let at = 0; at < wav.length; at += SLICE) yield wav.subarray(at, at + SLICE);
      };
      const writer = store.writer(keyOf(workspaceId, id));
      await pipeline(Readable.from(slices()), encryptStream(key), writer).catch(async (error: unknown) => {
        await writerSettled(writer);
        throw error;
      });
      return { fileKey: key.toString('base64url'), size: wav.length };
    },
    open(workspaceId, id, fileKey) {
      const decrypt = decryptStream(Buffer.from(fileKey, 'base64url'));
      const file = store.get(keyOf(workspaceId, id));
      file.on('error', (error) => decrypt.destroy(error));
      return file.pipe(decrypt);
    },
    async remove(workspaceId, id) {
      await store.delete(keyOf(workspaceId, id));
    },
    async exists(workspaceId, id) {
      return (await store.stat(keyOf(workspaceId, id))) !== null;
    },
  };
}

// A call's dual-channel recording: the caller on the left, what we sent them (bot or agent) on the right,
// both taken from the caller's leg on its 20 ms clock so they stay aligned; written as an 8 kHz stereo WAV
// and stored encrypted (ZKF1 streaming AES-256-GCM, its own random key, sealed into the call row).
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
}

/** Where under the data directory call recordings live (a backup carries this folder). */
export const RECORDINGS_FOLDER = 'recordings';

export function createRecordingFiles(dataDir: string): RecordingFiles {
  const root = join(dataDir, RECORDINGS_FOLDER);
  // Ids are UUIDs; the guard keeps anything else from naming another path.
  const safe = (part: string) => {
    if (!/^[0-9a-f-]{36}$/.test(part)) throw new Error('bad recording path component');
    return part;
  };
  const pathOf = (workspaceId: string, id: string) => join(root, safe(workspaceId), `${safe(id)}.zkf`);
  return {
    async save(workspaceId, id, wav) {
      const key = randomBytes(32);
      const target = pathOf(workspaceId, id);
      await mkdir(join(root, safe(workspaceId)), { recursive: true, mode: 0o700 });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.part`;
      try {
        await pipeline(Readable.from([wav]), encryptStream(key), createWriteStream(tmp, { mode: 0o600 }));
        await rename(tmp, target);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      return { fileKey: key.toString('base64url'), size: wav.length };
    },
    open(workspaceId, id, fileKey) {
      const decrypt = decryptStream(Buffer.from(fileKey, 'base64url'));
      const file = createReadStream(pathOf(workspaceId, id));
      file.on('error', (error) => decrypt.destroy(error));
      return file.pipe(decrypt);
    },
    async remove(workspaceId, id) {
      await rm(pathOf(workspaceId, id), { force: true });
    },
    async exists(workspaceId, id) {
      return stat(pathOf(workspaceId, id)).then(
        () => true,
        () => false,
      );
    },
  };
}

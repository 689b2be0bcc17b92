// The shapes every part of the voice channel agrees on: audio frames, media legs (an RTP session or a
// browser's WebRTC track), speech providers, the brain a call talks to, and the per-call trace. Telephony
// (SIP/RTP), the voice bot pipeline, the speech adapters and the server composition meet only here.

/** Telephone audio inside the process: 8 kHz, mono, signed 16-bit; one frame is 20 ms (160 samples). */
export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;

/** One 20 ms frame of 8 kHz mono PCM (always FRAME_SAMPLES long). */
export type AudioFrame = Int16Array;

/** A stretch of PCM at any rate: what speech providers take and give. */
export interface PcmAudio {
  samples: Int16Array;
  sampleRate: number;
}

/** Codecs negotiated on a leg, matched by name (never by static payload number). */
export type AudioCodec = 'PCMU' | 'PCMA';

export type DtmfDigit =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '*'
  | '#'
  | 'A'
  | 'B'
  | 'C'
  | 'D';

/** Unsubscribes a listener. */
export type Unsubscribe = () => void;

/** Audio queued for sending on a leg; stopping it is how barge-in silences the bot. */
export interface Playback {
  /** Stops sending what is left of this audio (the rest of the queue is dropped too). */
  stop(): void;
  /** Resolves once every frame was sent ('finished') or when stopped or the leg closed ('stopped'). */
  readonly done: Promise<'finished' | 'stopped'>;
}

/**
 * One party's two-way audio path as the call logic sees it: decoded 20 ms frames in, PCM out on the
 * leg's own 20 ms clock (silence is sent while nothing is queued, so timing and NAT bindings hold).
 * An RTP session to a SIP peer and a WebRTC track to a browser both implement it.
 */
export interface MediaLeg {
  readonly id: string;
  readonly codec: AudioCodec;
  /** Every decoded inbound frame, in order, gaps filled with silence by the jitter buffer. */
  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe;
  /** A DTMF key press, once per press (RFC 4733 end-of-event, retransmissions collapsed). */
  onDtmf(listener: (digit: DtmfDigit) => void): Unsubscribe;
  /** Every frame actually sent (silence and DTMF-muted frames included, as sent): the recorder's tap. */
  onSent(listener: (frame: AudioFrame) => void): Unsubscribe;
  /** Resolves when the leg closes (hang-up, peer gone, media timeout). */
  readonly closed: Promise<void>;
  /** Queues 8 kHz PCM (any length; split into frames) behind what is already queued. */
  play(samples: Int16Array): Playback;
  /** Drops everything queued, at once (barge-in). */
  stopPlayback(): void;
  /** Sends DTMF digits to the peer (RFC 4733 on RTP). */
  sendDtmf(digits: string): Promise<void>;
  /** Mutes what this leg sends (hold / agent mute); inbound audio still arrives. */
  setMuted(muted: boolean): void;
  close(): void;
  /** Frames sent vs. frames sent later than their 20 ms slot, for the bench and the trace. */
  stats(): MediaLegStats;
}

export interface MediaLegStats {
  packetsSent: number;
  packetsReceived: number;
  /** Sent frames that left more than one frame (20 ms) after their scheduled time. */
  lateSent: number;
  /** Received packets dropped as too late for the jitter buffer, duplicates or from a wrong source. */
  droppedReceived: number;
}

// ---------------------------------------------------------------------------------------------------
// Speech providers

export interface TranscribeOptions {
  /** BCP-47 hint: 'zh-CN', 'yue' (Cantonese), 'zh-sichuan', 'en-US'… providers map it to their engine. */
  language?: string;
  signal?: AbortSignal;
}

export interface Transcript {
  text: string;
  /** Language the provider reports, when it reports one. */
  language?: string;
  /** 0..1 where the provider gives one. */
  confidence?: number;
}

/** Speech to text for one endpointed utterance. */
export interface SpeechRecognizer {
  /** Provider id for traces and metering ('openai', 'sherpa-onnx', 'tencent', 'aliyun', …). */
  readonly id: string;
  transcribe(audio: PcmAudio, options?: TranscribeOptions): Promise<Transcript>;
}

export interface SynthesizeOptions {
  /** 'zh-CN' | 'yue' | 'en-US' …: the provider picks its voice for the language unless `voice` is set. */
  language?: string;
  voice?: string;
  /** Relative speed, 1 = the provider's normal rate. */
  rate?: number;
  signal?: AbortSignal;
}

/** Text to speech. Results are PCM at the provider's rate; the caller resamples to 8 kHz. */
export interface SpeechSynthesizer {
  readonly id: string;
  synthesize(text: string, options?: SynthesizeOptions): Promise<PcmAudio>;
}

// ---------------------------------------------------------------------------------------------------
// The brain a voice call talks to: the same NLU, dialogue and routing as text, reached by the server.

export interface CallParty {
  /** SIP URI or browser visitor id as presented. */
  uri: string;
  /** Phone number when the URI carries one (user part of digits, E.164 or national). */
  phone?: string;
  displayName?: string;
}

export interface CallStart {
  callId: string;
  direction: 'inbound' | 'outbound';
  /** 'sip' for phone calls, 'webrtc' for the widget's call button. */
  transport: 'sip' | 'webrtc';
  from: CallParty;
  to: CallParty;
  startedAt: Date;
}

/** What the caller did in one turn. */
export type CallerInput =
  | { kind: 'speech'; text: string; language?: string; confidence?: number }
  | { kind: 'digits'; digits: string }
  /** The caller said nothing within the re-prompt window. */
  | { kind: 'silence' };

/** What the call should do next, as the brain decides. */
export interface BrainReply {
  /** Sentences to speak, in order (already in the caller's language). */
  say: string[];
  /**
   * 'listen': wait for the next utterance; 'digits': collect keypad/spoken digits (up to `maxDigits`,
   * ended by '#'); 'handoff': speak, then transfer to a human queue; 'hangup': speak, then end the call.
   */
  next: 'listen' | 'digits' | 'handoff' | 'hangup';
  maxDigits?: number;
  /** Where the hand-off goes (queue id) when next is 'handoff'. */
  queueId?: string;
  /** The NLU's reading, for the trace and the hand-off card. */
  intent?: string;
  confidence?: number;
}

/** One call's conversation with the bot; the server implements it on top of the text bot. */
export interface VoiceBrain {
  /** The greeting (and the recording notice, when the workspace plays one). */
  start(call: CallStart): Promise<BrainReply>;
  turn(callId: string, input: CallerInput): Promise<BrainReply>;
  /** The call ended (either side hung up, transfer completed, failure). */
  end(callId: string, reason: CallEndReason): Promise<void>;
}

export type CallEndReason =
  | 'caller-hangup'
  | 'bot-hangup'
  | 'agent-hangup'
  | 'transferred'
  | 'failed'
  | 'timeout';

// ---------------------------------------------------------------------------------------------------
// Per-call trace: SIP dialog and pipeline stage timings, shown in the console and printed by `voice test`.

export type TraceStage =
  | 'sip'
  | 'media'
  | 'vad'
  | 'asr'
  | 'brain'
  | 'tts'
  | 'playback'
  | 'dtmf'
  | 'handoff'
  | 'recording';

export interface TraceEvent {
  /** Milliseconds since the call started. */
  atMs: number;
  stage: TraceStage;
  /** Short machine-readable name: 'INVITE received', 'endpoint', 'asr.done', 'tts.first-packet'… */
  name: string;
  /** How long the stage took, when it is a span. */
  durationMs?: number;
  detail?: Record<string, string | number | boolean | null>;
}

export interface CallTrace {
  add(event: Omit<TraceEvent, 'atMs'> & { atMs?: number }): void;
  events(): readonly TraceEvent[];
}

/** Time source for timers in call logic; tests pass a controllable one. */
export interface VoiceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

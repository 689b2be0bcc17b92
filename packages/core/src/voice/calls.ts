// Phone and browser calls as the domain keeps them: one row per call (who, when, how it ended, the
// recording and the per-call trace), the speaker-separated transcript, and what each workspace used
// (call minutes, ASR seconds, TTS characters per day), which is what voice usage is billed by.

export type CallDirection = 'inbound' | 'outbound';
export type CallTransport = 'sip' | 'webrtc';
/** ringing → bot → (queued → agent) → ended; a call may also end from any state. */
export type CallState = 'ringing' | 'bot' | 'queued' | 'agent' | 'ended';
export type CallSpeaker = 'caller' | 'bot' | 'agent';
export type CallEndReason =
  | 'caller-hangup'
  | 'bot-hangup'
  | 'agent-hangup'
  | 'transferred'
  | 'failed'
  | 'timeout';

/** One trace entry (same shape as @zhike/voice's TraceEvent; the core does not import the telephony). */
export interface CallTraceEntry {
  atMs: number;
  stage: string;
  name: string;
  durationMs?: number;
  detail?: Record<string, string | number | boolean | null>;
}

export interface CallRecording {
  /** Id of the encrypted file in the recordings store. */
  fileId: string;
  /** The file's own key (base64url); sealed at rest. */
  fileKey: string;
  durationMs: number;
  size: number;
}

/** What one call used; summed into the workspace's daily meters when the call ends. */
export interface CallUsage {
  /** Seconds from answer to end (the billed call time). */
  talkSeconds: number;
  asrSeconds: number;
  ttsCharacters: number;
}

export interface VoiceCall {
  id: string;
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  customerId: string;
  direction: CallDirection;
  transport: CallTransport;
  /** The caller's address as presented (SIP URI or browser visitor id); personal data, sealed at rest. */
  fromUri: string;
  toUri: string;
  state: CallState;
  startedAt: string;
  answeredAt: string | null;
  handedOffAt: string | null;
  agentAnsweredAt: string | null;
  endedAt: string | null;
  endReason: CallEndReason | null;
  agentId: string | null;
  recording: CallRecording | null;
  trace: CallTraceEntry[];
  usage: CallUsage;
}

export type NewCall = Pick<
  VoiceCall,
  | 'id'
  | 'inboxId'
  | 'conversationId'
  | 'customerId'
  | 'direction'
  | 'transport'
  | 'fromUri'
  | 'toUri'
  | 'state'
  | 'startedAt'
  | 'answeredAt'
>;

/** Fields a call moves on with; undefined leaves a field as it is. */
export type CallPatch = Partial<
  Pick<
    VoiceCall,
    | 'state'
    | 'answeredAt'
    | 'handedOffAt'
    | 'agentAnsweredAt'
    | 'endedAt'
    | 'endReason'
    | 'agentId'
    | 'recording'
    | 'trace'
    | 'usage'
  >
>;

export interface TranscriptSegment {
  callId: string;
  /** Order within the call (0, 1, 2 …); a segment is stored once per (call, seq). */
  seq: number;
  speaker: CallSpeaker;
  /** Milliseconds since the call started. */
  startMs: number;
  endMs: number;
  text: string;
  language: string | null;
}

/** One day of a workspace's voice usage (UTC day). */
export interface VoiceUsageDay {
  day: string;
  calls: number;
  inboundSeconds: number;
  outboundSeconds: number;
  /** Billed minutes: each call's talk time rounded up to whole minutes, as carriers bill. */
  inboundMinutes: number;
  outboundMinutes: number;
  asrSeconds: number;
  ttsCharacters: number;
}

export type VoiceUsageDelta = Omit<VoiceUsageDay, 'day'>;

/** Speech provider choice of a workspace: non-secret settings as JSON, secrets sealed apart. */
export interface SpeechSettingsRecord {
  settings: Record<string, unknown>;
  /** Names of secret fields that hold a value (values never leave the store except for the server). */
  secretsSet: string[];
  updatedAt: string;
}

export interface CallListQuery {
  /** Only calls started before this call id (ids sort by time): the next page. */
  before?: string;
  limit: number;
  state?: CallState;
  conversationId?: string;
}

export interface VoiceRepository {
  calls: {
    create(call: NewCall): Promise<VoiceCall>;
    get(id: string): Promise<VoiceCall | null>;
    /** Newest first. */
    list(query: CallListQuery): Promise<VoiceCall[]>;
    update(id: string, patch: CallPatch): Promise<VoiceCall | null>;
    /** Ended calls with a recording that ended before `before` (ISO), oldest first: retention's work. */
    withRecordingEndedBefore(before: string, limit: number): Promise<VoiceCall[]>;
    /** Erasure: deletes the customer's calls and their transcripts; returns the recordings to remove. */
    deleteForCustomer(customerId: string): Promise<{ calls: number; recordingFileIds: string[] }>;
  };
  transcript: {
    /** Idempotent per (call, seq): a segment written twice is stored once. */
    add(segments: readonly TranscriptSegment[]): Promise<void>;
    list(callId: string): Promise<TranscriptSegment[]>;
    /** Retention: deletes the transcripts of calls that ended before `before`; returns how many segments. */
    deleteEndedBefore(before: string): Promise<number>;
  };
  usage: {
    /** Adds to the day's meters (created on first use). */
    add(day: string, delta: VoiceUsageDelta): Promise<void>;
    /** Days from `from` to `to` inclusive (YYYY-MM-DD), oldest first; days without calls are absent. */
    list(from: string, to: string): Promise<VoiceUsageDay[]>;
  };
  speechSettings: {
    get(): Promise<SpeechSettingsRecord | null>;
    /** The opened secrets; only for the server's calls to a provider. */
    secrets(): Promise<Record<string, string>>;
    save(input: {
      settings: Record<string, unknown>;
      secrets: Record<string, string>;
      at: string;
    }): Promise<SpeechSettingsRecord>;
  };
}

/** Carriers bill started minutes: 61 s is two minutes, 0 s (never answered) is none. */
export const billedMinutes = (seconds: number): number => (seconds <= 0 ? 0 : Math.ceil(seconds / 60));

/** The usage a finished call adds to its day. */
export function usageDeltaOf(call: Pick<VoiceCall, 'direction' | 'usage'>): VoiceUsageDelta {
  const seconds = Math.max(0, Math.round(call.usage.talkSeconds));
  // Minutes from the exact time talked, as the cost meter bills them: 0.4 s answered is a started minute.
  const minutes = billedMinutes(call.usage.talkSeconds);
  const inbound = call.direction === 'inbound';
  return {
    calls: 1,
    inboundSeconds: inbound ? seconds : 0,
    outboundSeconds: inbound ? 0 : seconds,
    inboundMinutes: inbound ? minutes : 0,
    outboundMinutes: inbound ? 0 : minutes,
    asrSeconds: Math.max(0, Math.round(call.usage.asrSeconds * 10) / 10),
    ttsCharacters: Math.max(0, Math.round(call.usage.ttsCharacters)),
  };
}

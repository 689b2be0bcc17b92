// Calls (phone and browser) as the console and the API see them: the list, one call with its transcript
// and trace, the workspace's speech provider settings (secrets write-only) and its voice usage.
import Type from 'typebox';
import { Id, Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CallState = Type.Union([
  Type.Literal('ringing'),
  Type.Literal('bot'),
  Type.Literal('queued'),
  Type.Literal('agent'),
  Type.Literal('ended'),
]);
export type CallState = Type.Static<typeof CallState>;

export const CallSummary = Type.Object({
  id: Id,
  inboxId: Id,
  conversationId: Id,
  customerId: Id,
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  transport: Type.Union([Type.Literal('sip'), Type.Literal('webrtc')]),
  /** Masked unless the caller may reveal personal data. */
  from: Type.String(),
  to: Type.String(),
  state: CallState,
  startedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  handedOffAt: Nullable(Timestamp),
  agentAnsweredAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  endReason: Nullable(Type.String()),
  agentId: Nullable(Id),
  durationSeconds: Type.Integer({ minimum: 0 }),
  recording: Nullable(
    Type.Object({ durationMs: Type.Integer({ minimum: 0 }), size: Type.Integer({ minimum: 0 }) }),
  ),
});
export type CallSummary = Type.Static<typeof CallSummary>;

export const CallList = Type.Object({
  calls: Type.Array(CallSummary),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: Nullable(Id),
});
export type CallList = Type.Static<typeof CallList>;

export const CallListQuery = Type.Object({
  before: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  state: Type.Optional(CallState),
  conversationId: Type.Optional(Id),
});

export const TranscriptSegmentDto = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  speaker: Type.Union([Type.Literal('caller'), Type.Literal('bot'), Type.Literal('agent')]),
  startMs: Type.Integer({ minimum: 0 }),
  endMs: Type.Integer({ minimum: 0 }),
  text: Type.String(),
  language: Nullable(Type.String()),
});

export const CallTraceEvent = Type.Object({
  atMs: Type.Number(),
  stage: Type.String(),
  name: Type.String(),
  durationMs: Type.Optional(Type.Number()),
  detail: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  ),
});

export const CallDetail = Type.Object({
  call: CallSummary,
  transcript: Type.Array(TranscriptSegmentDto),
  trace: Type.Array(CallTraceEvent),
  usage: Type.Object({
    talkSeconds: Type.Integer({ minimum: 0 }),
    asrSeconds: Type.Number({ minimum: 0 }),
    ttsCharacters: Type.Integer({ minimum: 0 }),
  }),
  /** Set while the call runs in this server. */
  live: Nullable(Type.Object({ state: CallState, agentId: Nullable(Id) })),
});
export type CallDetail = Type.Static<typeof CallDetail>;

/** Flat provider settings: `provider` plus that provider's non-secret fields. */
const ProviderSettings = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,40}$' }),
  Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]),
  { maxProperties: 30, additionalProperties: false },
);

export const SpeechSettings = Type.Object({
  settings: Type.Object(
    { asr: Type.Optional(ProviderSettings), tts: Type.Optional(ProviderSettings) },
    { additionalProperties: false },
  ),
  /** Which secret fields hold a value (`asr.secretKey`, `tts.apiKey` …); values are never returned. */
  secretsSet: Type.Array(Type.String()),
  updatedAt: Nullable(Timestamp),
});
export type SpeechSettings = Type.Static<typeof SpeechSettings>;

export const SpeechSettingsBody = Type.Object(
  {
    settings: Type.Object(
      { asr: Type.Optional(ProviderSettings), tts: Type.Optional(ProviderSettings) },
      { additionalProperties: false },
    ),
    /** `asr.<field>` / `tts.<field>`: a value sets it, null removes it, absent or '' keeps the stored one. */
    secrets: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^(asr|tts)\\.[A-Za-z][A-Za-z0-9_]{0,40}$' }),
        Nullable(Type.String({ maxLength: 4000 })),
        { maxProperties: 20, additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SpeechSettingsBody = Type.Static<typeof SpeechSettingsBody>;

export const VoiceUsageQuery = Type.Object({
  from: Type.String({ format: 'date', description: 'First UTC day, YYYY-MM-DD' }),
  to: Type.String({ format: 'date', description: 'Last UTC day, YYYY-MM-DD' }),
});

const UsageNumbers = {
  calls: Type.Integer({ minimum: 0 }),
  inboundSeconds: Type.Integer({ minimum: 0 }),
  outboundSeconds: Type.Integer({ minimum: 0 }),
  inboundMinutes: Type.Integer({ minimum: 0 }),
  outboundMinutes: Type.Integer({ minimum: 0 }),
  asrSeconds: Type.Number({ minimum: 0 }),
  ttsCharacters: Type.Integer({ minimum: 0 }),
};

export const VoiceUsage = Type.Object({
  days: Type.Array(Type.Object({ day: Type.String(), ...UsageNumbers })),
  totals: Type.Object(UsageNumbers),
});
export type VoiceUsage = Type.Static<typeof VoiceUsage>;

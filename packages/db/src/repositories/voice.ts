// The voice channel's rows of one workspace (migration 0022): calls with their parties and recording key
// sealed, transcript segments with the text sealed, daily usage meters (added to atomically, so two
// calls ending at once both count) and the speech provider settings with their secrets sealed.
import type {
  CallEndReason,
  CallState,
  CallTraceEntry,
  SpeechSettingsRecord,
  TranscriptSegment,
  VoiceCall,
  VoiceRepository,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import type { PersonalDataCodec } from '../personalData.ts';
import { parseList, type Scope } from './scope.ts';

export interface CallsTable {
  id: string;
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  customerId: string;
  direction: string;
  transport: string;
  fromUri: string;
  toUri: string;
  state: string;
  startedAt: string;
  answeredAt: string | null;
  handedOffAt: string | null;
  agentAnsweredAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  agentId: string | null;
  recordingFileId: string | null;
  recordingKey: string | null;
  recordingMs: number | null;
  recordingBytes: number | null;
  trace: string;
  talkSeconds: number;
  asrMs: number;
  ttsCharacters: number;
}

export interface CallTranscriptSegmentsTable {
  workspaceId: string;
  callId: string;
  seq: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  language: string | null;
}

export interface VoiceUsageTable {
  workspaceId: string;
  day: string;
  calls: number;
  inboundSeconds: number;
  outboundSeconds: number;
  inboundMinutes: number;
  outboundMinutes: number;
  asrMs: number;
  ttsCharacters: number;
}

export interface SpeechSettingsTable {
  workspaceId: string;
  settings: string;
  secrets: string | null;
  updatedAt: string;
}

export const VOICE_FIELDS = {
  from: 'calls.from_uri',
  to: 'calls.to_uri',
  recordingKey: 'calls.recording_key',
  segmentText: 'call_transcript_segments.text',
  speechSecrets: 'speech_settings.secrets',
} as const;

/** Keeps the trace row bounded: a runaway call cannot grow its row without limit. */
const MAX_TRACE_EVENTS = 2000;
const CHUNK = 200;

function toCall(codec: PersonalDataCodec, r: Selectable<CallsTable>): VoiceCall {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    inboxId: r.inboxId,
    conversationId: r.conversationId,
    customerId: r.customerId,
    direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
    transport: r.transport === 'webrtc' ? 'webrtc' : 'sip',
    fromUri: codec.open(r.fromUri, VOICE_FIELDS.from),
    toUri: codec.open(r.toUri, VOICE_FIELDS.to),
    state: r.state as CallState,
    startedAt: r.startedAt,
    answeredAt: r.answeredAt,
    handedOffAt: r.handedOffAt,
    agentAnsweredAt: r.agentAnsweredAt,
    endedAt: r.endedAt,
    endReason: r.endReason as CallEndReason | null,
    agentId: r.agentId,
    recording:
      r.recordingFileId && r.recordingKey
        ? {
            fileId: r.recordingFileId,
            fileKey: codec.open(r.recordingKey, VOICE_FIELDS.recordingKey),
            durationMs: r.recordingMs ?? 0,
            size: r.recordingBytes ?? 0,
          }
        : null,
    trace: parseList<CallTraceEntry>(r.trace),
    usage: { talkSeconds: r.talkSeconds, asrSeconds: r.asrMs / 1000, ttsCharacters: r.ttsCharacters },
  };
}

export function voiceRepository(s: Scope): VoiceRepository {
  const get = async (id: string) => {
    const row = await s.db
      .selectFrom('calls')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toCall(await s.codec(), row) : null;
  };
  const emptySettings = (): SpeechSettingsRecord | null => null;

  return {
    calls: {
      async create(call) {
        const codec = await s.codec();
        await s.db
          .insertInto('calls')
          .values({
            id: call.id,
            workspaceId: s.workspaceId,
            inboxId: call.inboxId,
            conversationId: call.conversationId,
            customerId: call.customerId,
            direction: call.direction,
            transport: call.transport,
            fromUri: codec.seal(call.fromUri, VOICE_FIELDS.from),
            toUri: codec.seal(call.toUri, VOICE_FIELDS.to),
            state: call.state,
            startedAt: call.startedAt,
            answeredAt: call.answeredAt,
            handedOffAt: null,
            agentAnsweredAt: null,
            endedAt: null,
            endReason: null,
            agentId: null,
            recordingFileId: null,
            recordingKey: null,
            recordingMs: null,
            recordingBytes: null,
            trace: '[]',
            talkSeconds: 0,
            asrMs: 0,
            ttsCharacters: 0,
          })
          .execute();
        const saved = await get(call.id);
        if (!saved) throw new Error('call vanished while it was being created');
        return saved;
      },
      get,
      async list(query) {
        let q = s.db.selectFrom('calls').selectAll().where('workspaceId', '=', s.workspaceId);
        if (query.before) q = q.where('id', '<', query.before);
        if (query.state) q = q.where('state', '=', query.state);
        if (query.conversationId) q = q.where('conversationId', '=', query.conversationId);
        const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
        const codec = await s.codec();
        return rows.map((r) => toCall(codec, r));
      },
      async update(id, patch) {
        const values: Partial<CallsTable> = {};
        if (patch.state !== undefined) values.state = patch.state;
        if (patch.answeredAt !== undefined) values.answeredAt = patch.answeredAt;
        if (patch.handedOffAt !== undefined) values.handedOffAt = patch.handedOffAt;
        if (patch.agentAnsweredAt !== undefined) values.agentAnsweredAt = patch.agentAnsweredAt;
        if (patch.endedAt !== undefined) values.endedAt = patch.endedAt;
        if (patch.endReason !== undefined) values.endReason = patch.endReason;
        if (patch.agentId !== undefined) values.agentId = patch.agentId;
        if (patch.trace !== undefined) values.trace = JSON.stringify(patch.trace.slice(0, MAX_TRACE_EVENTS));
        if (patch.usage !== undefined) {
          values.talkSeconds = Math.max(0, Math.round(patch.usage.talkSeconds));
          values.asrMs = Math.max(0, Math.round(patch.usage.asrSeconds * 1000));
          values.ttsCharacters = Math.max(0, Math.round(patch.usage.ttsCharacters));
        }
        if (patch.recording !== undefined) {
          const r = patch.recording;
          values.recordingFileId = r?.fileId ?? null;
          values.recordingKey = r ? (await s.codec()).seal(r.fileKey, VOICE_FIELDS.recordingKey) : null;
          values.recordingMs = r ? Math.round(r.durationMs) : null;
          values.recordingBytes = r ? r.size : null;
        }
        if (Object.keys(values).length > 0)
          await s.db
            .updateTable('calls')
            .set(values)
            .where('workspaceId', '=', s.workspaceId)
            .where('id', '=', id)
            .execute();
        return get(id);
      },
      async deleteForCustomer(customerId) {
        const rows = await s.db
          .selectFrom('calls')
          .select(['id', 'recordingFileId'])
          .where('workspaceId', '=', s.workspaceId)
          .where('customerId', '=', customerId)
          .execute();
        const ids = rows.map((r) => r.id);
        for (let i = 0; i < ids.length; i += CHUNK) {
          const chunk = ids.slice(i, i + CHUNK);
          await s.db
            .deleteFrom('callTranscriptSegments')
            .where('workspaceId', '=', s.workspaceId)
            .where('callId', 'in', chunk)
            .execute();
          await s.db
            .deleteFrom('calls')
            .where('workspaceId', '=', s.workspaceId)
            .where('id', 'in', chunk)
            .execute();
        }
        return {
          calls: ids.length,
          recordingFileIds: rows.flatMap((r) => (r.recordingFileId ? [r.recordingFileId] : [])),
        };
      },
      async withRecordingEndedBefore(before, limit) {
        const rows = await s.db
          .selectFrom('calls')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('recordingFileId', 'is not', null)
          .where('endedAt', '<', before)
          .orderBy('endedAt')
          .limit(limit)
          .execute();
        const codec = await s.codec();
        return rows.map((r) => toCall(codec, r));
      },
    },
    transcript: {
      async deleteEndedBefore(before) {
        const ended = s.db
          .selectFrom('calls')
          .select('id')
          .where('workspaceId', '=', s.workspaceId)
          .where('endedAt', '<', before);
        const result = await s.db
          .deleteFrom('callTranscriptSegments')
          .where('workspaceId', '=', s.workspaceId)
          .where('callId', 'in', ended)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      },
      async add(segments) {
        if (segments.length === 0) return;
        const codec = await s.codec();
        for (let i = 0; i < segments.length; i += CHUNK) {
          await s.db
            .insertInto('callTranscriptSegments')
            .values(
              segments.slice(i, i + CHUNK).map((g: TranscriptSegment) => ({
                workspaceId: s.workspaceId,
                callId: g.callId,
                seq: g.seq,
                speaker: g.speaker,
                startMs: Math.max(0, Math.round(g.startMs)),
                endMs: Math.max(0, Math.round(g.endMs)),
                text: codec.seal(g.text, VOICE_FIELDS.segmentText),
                language: g.language,
              })),
            )
            .onConflict((oc) => oc.columns(['workspaceId', 'callId', 'seq']).doNothing())
            .execute();
        }
      },
      async list(callId) {
        const rows = await s.db
          .selectFrom('callTranscriptSegments')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('callId', '=', callId)
          .orderBy('seq')
          .execute();
        const codec = await s.codec();
        return rows.map((r) => ({
          callId: r.callId,
          seq: r.seq,
          speaker: r.speaker as TranscriptSegment['speaker'],
          startMs: r.startMs,
          endMs: r.endMs,
          text: codec.open(r.text, VOICE_FIELDS.segmentText),
          language: r.language,
        }));
      },
    },
    usage: {
      async add(day, d) {
        const row = {
          calls: d.calls,
          inboundSeconds: d.inboundSeconds,
          outboundSeconds: d.outboundSeconds,
          inboundMinutes: d.inboundMinutes,
          outboundMinutes: d.outboundMinutes,
          asrMs: Math.round(d.asrSeconds * 1000),
          ttsCharacters: d.ttsCharacters,
        };
        await s.db
          .insertInto('voiceUsage')
          .values({ workspaceId: s.workspaceId, day, ...row })
          .onConflict((oc) =>
            oc.columns(['workspaceId', 'day']).doUpdateSet((eb) => ({
              calls: eb('voiceUsage.calls', '+', eb.ref('excluded.calls')),
              inboundSeconds: eb('voiceUsage.inboundSeconds', '+', eb.ref('excluded.inboundSeconds')),
              outboundSeconds: eb('voiceUsage.outboundSeconds', '+', eb.ref('excluded.outboundSeconds')),
              inboundMinutes: eb('voiceUsage.inboundMinutes', '+', eb.ref('excluded.inboundMinutes')),
              outboundMinutes: eb('voiceUsage.outboundMinutes', '+', eb.ref('excluded.outboundMinutes')),
              asrMs: eb('voiceUsage.asrMs', '+', eb.ref('excluded.asrMs')),
              ttsCharacters: eb('voiceUsage.ttsCharacters', '+', eb.ref('excluded.ttsCharacters')),
            })),
          )
          .execute();
      },
      async list(from, to) {
        const rows = await s.db
          .selectFrom('voiceUsage')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('day', '>=', from)
          .where('day', '<=', to)
          .orderBy('day')
          .execute();
        return rows.map((r) => ({
          day: r.day,
          calls: Number(r.calls),
          inboundSeconds: Number(r.inboundSeconds),
          outboundSeconds: Number(r.outboundSeconds),
          inboundMinutes: Number(r.inboundMinutes),
          outboundMinutes: Number(r.outboundMinutes),
          asrSeconds: Number(r.asrMs) / 1000,
          ttsCharacters: Number(r.ttsCharacters),
        }));
      },
    },
    speechSettings: {
      async get() {
        const row = await s.db
          .selectFrom('speechSettings')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        if (!row) return emptySettings();
        const secrets = row.secrets
          ? (JSON.parse((await s.codec()).open(row.secrets, VOICE_FIELDS.speechSecrets)) as Record<
              string,
              string
            >)
          : {};
        const settings: unknown = JSON.parse(row.settings);
        return {
          settings: settings && typeof settings === 'object' ? (settings as Record<string, unknown>) : {},
          secretsSet: Object.keys(secrets).sort(),
          updatedAt: row.updatedAt,
        };
      },
      async secrets() {
        const row = await s.db
          .selectFrom('speechSettings')
          .select('secrets')
          .where('workspaceId', '=', s.workspaceId)
          .executeTakeFirst();
        if (!row?.secrets) return {};
        return JSON.parse((await s.codec()).open(row.secrets, VOICE_FIELDS.speechSecrets)) as Record<
          string,
          string
        >;
      },
      async save(input) {
        const sealed =
          Object.keys(input.secrets).length === 0
            ? null
            : (await s.codec()).seal(JSON.stringify(input.secrets), VOICE_FIELDS.speechSecrets);
        const values = { settings: JSON.stringify(input.settings), secrets: sealed, updatedAt: input.at };
        await s.db
          .insertInto('speechSettings')
          .values({ workspaceId: s.workspaceId, ...values })
          .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
          .execute();
        return {
          settings: { ...input.settings },
          secretsSet: Object.keys(input.secrets).sort(),
          updatedAt: input.at,
        };
      },
    },
  };
}

// Calls over HTTP: the list, one call with its transcript and trace, the recording (decrypted, audited,
// audio/wav with byte ranges so the console's player can seek), the workspace's speech provider settings
// (secrets write-only) and its voice usage by day.
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CallDetail,
  CallList,
  CallListQuery,
  type CallSummary,
  IdParams,
  SpeechSettings,
  SpeechSettingsBody,
  VoiceUsage,
  VoiceUsageQuery,
} from '@zhike/contracts';
import type { VoiceCall } from '@zhike/core';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { speechSettingsProblems } from '../voice/speech.ts';
import { maskedPii } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

/** A SIP URI's user part is the caller's number: masked like every phone in API answers. */
const maskUri = (uri: string): string =>
  uri.replace(/^(sips?:|tel:)?(\+?\d{5,})(?=@|$|;)/, (_m, scheme: string | undefined, digits: string) => {
    return `${scheme ?? ''}${maskedPii.phone(digits) ?? ''}`;
  });

const callDto = (c: VoiceCall, now: number): CallSummary => {
  const end = c.endedAt ? Date.parse(c.endedAt) : now;
  return {
    id: c.id,
    inboxId: c.inboxId,
    conversationId: c.conversationId,
    customerId: c.customerId,
    direction: c.direction,
    transport: c.transport,
    from: maskUri(c.fromUri),
    to: maskUri(c.toUri),
    state: c.state,
    startedAt: c.startedAt,
    answeredAt: c.answeredAt,
    handedOffAt: c.handedOffAt,
    agentAnsweredAt: c.agentAnsweredAt,
    endedAt: c.endedAt,
    endReason: c.endReason,
    agentId: c.agentId,
    durationSeconds: Math.max(0, Math.round((end - Date.parse(c.startedAt)) / 1000)),
    recording: c.recording ? { durationMs: c.recording.durationMs, size: c.recording.size } : null,
  };
};

/** `bytes=a-b` / `bytes=a-` / `bytes=-n` of a file of `size` bytes; null = the whole file; 'bad' = 416. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'bad';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'bad';
  return { start, end };
}

/** Passes only bytes [start, end] of the stream through. */
function slice(start: number, end: number): Transform {
  let at = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const from = Math.max(0, start - at);
      const to = Math.min(chunk.length, end + 1 - at);
      at += chunk.length;
      callback(null, to > from ? chunk.subarray(from, to) : undefined);
    },
  });
}

const DAY_MS = 86_400_000;
const WavBytes = Type.Unsafe<unknown>({ description: 'The recording (audio/wav)' });

export const callRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: Parameters<typeof principalOf>[0]) =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);

    app.get(
      '/api/v1/calls',
      {
        config: { auth: 'sessionOrApiKey', permission: 'calls.read' },
        schema: {
          tags: ['calls'],
          summary: 'Calls, newest first (phone and browser)',
          querystring: CallListQuery,
          response: { 200: CallList, ...problems },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const calls = await store(request).voice.calls.list({
          limit,
          ...(request.query.before ? { before: request.query.before } : {}),
          ...(request.query.state ? { state: request.query.state } : {}),
          ...(request.query.conversationId ? { conversationId: request.query.conversationId } : {}),
        });
        const now = ctx.clock.now().getTime();
        return {
          calls: calls.map((c) => callDto(c, now)),
          nextBefore: calls.length === limit ? (calls.at(-1)?.id ?? null) : null,
        };
      },
    );

    app.get(
      '/api/v1/calls/:id',
      {
        config: { auth: 'sessionOrApiKey', permission: 'calls.read' },
        schema: {
          tags: ['calls'],
          summary: 'One call: its transcript (speaker-separated, time-stamped), trace and usage',
          params: IdParams,
          response: { 200: CallDetail, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const call = await s.voice.calls.get(request.params.id);
        if (!call) throw new HttpProblem('not_found', 'Call not found');
        const transcript = await s.voice.transcript.list(call.id);
        const live = ctx.voice.liveCalls.get(principalOf(request).workspaceId, call.id);
        return {
          call: callDto(call, ctx.clock.now().getTime()),
          transcript: transcript.map((t) => ({
            seq: t.seq,
            speaker: t.speaker,
            startMs: t.startMs,
            endMs: t.endMs,
            text: t.text,
            language: t.language,
          })),
          trace: call.trace,
          usage: {
            talkSeconds: call.usage.talkSeconds,
            asrSeconds: call.usage.asrSeconds,
            ttsCharacters: call.usage.ttsCharacters,
          },
          live: live ? { state: live.state, agentId: live.agentId } : null,
        };
      },
    );

    app.get(
      '/api/v1/calls/:id/recording',
      {
        config: { auth: 'session', permission: 'calls.listen' },
        schema: {
          tags: ['calls'],
          summary: 'The call recording (WAV, 8 kHz stereo: caller left, bot/agent right); Range supported',
          description: 'Every request is audited (call.recording_played).',
          params: IdParams,
          response: { 200: WavBytes, 206: WavBytes, ...problems },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const call = await store(request).voice.calls.get(request.params.id);
        if (!call) throw new HttpProblem('not_found', 'Call not found');
        const recording = call.recording;
        if (!recording || !(await ctx.voice.recordings.exists(principal.workspaceId, recording.fileId)))
          throw new HttpProblem('not_found', 'This call has no recording (not recorded or past retention)');
        const range = parseRange(request.headers.range, recording.size);
        if (range === 'bad') {
          reply.header('content-range', `bytes */${recording.size}`);
          return reply.code(416).type('application/problem+json').send({
            type: 'about:blank',
            title: 'Range not satisfiable',
            status: 416,
          });
        }
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'call.recording_played',
          target: { type: 'call', id: call.id },
          details: range ? { range: `${range.start}-${range.end}` } : {},
        });
        const body = ctx.voice.recordings.open(principal.workspaceId, recording.fileId, recording.fileKey);
        reply
          .header('content-type', 'audio/wav')
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `inline; filename="call-${call.id}.wav"`);
        if (!range) return reply.header('content-length', String(recording.size)).send(body);
        return reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${recording.size}`)
          .header('content-length', String(range.end - range.start + 1))
          .send(body.pipe(slice(range.start, range.end)));
      },
    );

    app.get(
      '/api/v1/voice/speech-settings',
      {
        config: { auth: 'session', permission: 'speech.manage' },
        schema: {
          tags: ['calls'],
          summary: 'The speech providers (ASR and TTS) of the workspace; secrets are never returned',
          response: { 200: SpeechSettings, ...problems },
        },
      },
      async (request) => {
        const saved = await store(request).voice.speechSettings.get();
        return saved
          ? {
              settings: saved.settings as SpeechSettings['settings'],
              secretsSet: saved.secretsSet,
              updatedAt: saved.updatedAt,
            }
          : { settings: {}, secretsSet: [], updatedAt: null };
      },
    );

    app.put(
      '/api/v1/voice/speech-settings',
      {
        config: { auth: 'session', permission: 'speech.manage' },
        schema: {
          tags: ['calls'],
          summary: 'Choose the speech providers; secrets are write-only (null removes one, absent keeps it)',
          body: SpeechSettingsBody,
          response: { 200: SpeechSettings, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const secrets = await s.voice.speechSettings.secrets();
        for (const [field, value] of Object.entries(request.body.secrets ?? {})) {
          if (value === null) delete secrets[field];
          else if (value !== '') secrets[field] = value;
        }
        // Checked against the providers' fields: a missing or unknown field is refused now, not at the next call.
        const problems = speechSettingsProblems(request.body.settings, secrets, ctx.config.speechModelsDir);
        if (problems.length > 0) throw new HttpProblem('validation_failed', problems.join('; '));
        const saved = await s.voice.speechSettings.save({
          settings: request.body.settings,
          secrets,
          at: ctx.clock.now().toISOString(),
        });
        const principal = principalOf(request);
        await recordAudit(ctx, {
          workspaceId: principal.workspaceId,
          actor: actorOf(principal),
          action: 'speech.settings_changed',
          target: { type: 'workspace', id: principal.workspaceId },
          // Names only: which providers and which secret fields, never a value.
          details: {
            asr: String(request.body.settings.asr?.provider ?? ''),
            tts: String(request.body.settings.tts?.provider ?? ''),
            secrets: Object.keys(request.body.secrets ?? {})
              .sort()
              .join(','),
          },
        });
        return {
          settings: saved.settings as SpeechSettings['settings'],
          secretsSet: saved.secretsSet,
          updatedAt: saved.updatedAt,
        };
      },
    );

    app.get(
      '/api/v1/voice/usage',
      {
        config: { auth: 'sessionOrApiKey', permission: 'analytics.read' },
        schema: {
          tags: ['calls'],
          summary:
            'Voice usage by UTC day: calls, call minutes in/out (billed per started minute), ASR seconds, TTS characters',
          querystring: VoiceUsageQuery,
          response: { 200: VoiceUsage, ...problems },
        },
      },
      async (request) => {
        const { from, to } = request.query;
        const span = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
        if (!Number.isFinite(span) || span < 0 || span > 366 * DAY_MS)
          throw new HttpProblem(
            'validation_failed',
            'from must be a date on or before to, at most a year apart',
          );
        const days = await store(request).voice.usage.list(from, to);
        const totals = {
          calls: 0,
          inboundSeconds: 0,
          outboundSeconds: 0,
          inboundMinutes: 0,
          outboundMinutes: 0,
          asrSeconds: 0,
          ttsCharacters: 0,
        };
        for (const d of days)
          for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += d[key];
        totals.asrSeconds = Math.round(totals.asrSeconds * 1000) / 1000;
        return { days, totals };
      },
    );
  };

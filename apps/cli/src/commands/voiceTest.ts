// zhike voice test: places a real SIP call to a Zhike voice line (by default this installation's own
// SIP port over loopback), says something (espeak-ng) and/or keys digits, listens, hangs up, and prints
// what the caller experienced — SIP set-up time, when the greeting started, how long after the caller
// finished the reply started, RTP packet counts — and, with --workspace, the server's own trace of that
// call: each pipeline stage's timing and the turn latencies with the speech providers' time apart.
import { parseArgs } from 'node:util';
import { createIdGenerator, systemClock } from '@zhike/core';
import { openDatabase } from '@zhike/db';
import { createEspeakTts } from '@zhike/providers';
import {
  type AudioFrame,
  InMemoryCallTrace,
  type MediaLeg,
  type OutboundSipCall,
  resample,
  SAMPLE_RATE,
  startSipUserAgent,
  summarizeLatencies,
  type TraceEvent,
  turnLatencies,
} from '@zhike/voice';
import { configOrExit, type Io } from '../main.ts';

export const voiceTestUsage = `Usage: zhike voice test [--to sip:USER@HOST:PORT] [--say TEXT] [--digits KEYS]
                       [--listen SECONDS] [--workspace SLUG]
  --to         The voice line to call (default: sip:test@127.0.0.1:$ZHIKE_SIP_PORT; the line must accept
               calls from 127.0.0.1, e.g. a trunk-mode voice inbox with allowedSources 127.0.0.1)
  --say        What the caller says after the greeting (Mandarin through espeak-ng; '' = nothing)
  --digits     Keys pressed after that (RFC 4733), e.g. 0 for a person
  --listen     Seconds to listen after each step (default 6)
  --workspace  Also print the server's trace of the call (reads the database of this installation)
`;

/** A frame is speech when its RMS is above this (16-bit scale); G.711 silence decodes to ±8. */
const VOICED_RMS = 300;

const rms = (frame: AudioFrame) => {
  let sum = 0;
  for (const s of frame) sum += s * s;
  return Math.sqrt(sum / Math.max(1, frame.length));
};

/** Watches the inbound audio: when speech starts after a given moment, and how much speech there was. */
class Listener {
  private voicedAt: number[] = [];
  private readonly off: () => void;
  constructor(leg: MediaLeg) {
    this.off = leg.onAudio((frame) => {
      if (rms(frame) > VOICED_RMS) this.voicedAt.push(performance.now());
    });
  }
  firstVoicedAfter(t: number): number | null {
    return this.voicedAt.find((at) => at >= t) ?? null;
  }
  voicedMsBetween(from: number, to: number): number {
    return this.voicedAt.filter((at) => at >= from && at < to).length * 20;
  }
  stop() {
    this.off();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (value: number) => `${Math.round(value)} ms`;

export async function voiceTest(argv: string[], io: Io): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${voiceTestUsage}`);
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  const to = args.to ?? (config.sip ? `sip:test@127.0.0.1:${config.sip.port}` : null);
  if (!to) {
    io.stderr.write(`No --to given and ZHIKE_SIP_PORT is not set.\n${voiceTestUsage}`);
    return 2;
  }
  const listenMs = Number(args.listen ?? '6') * 1000;
  if (!Number.isFinite(listenMs) || listenMs <= 0 || listenMs > 120_000) {
    io.stderr.write('--listen takes 1–120 seconds\n');
    return 2;
  }
  const out = (line: string) => io.stdout.write(`${line}\n`);

  const ua = await startSipUserAgent(
    {
      host: '127.0.0.1',
      port: 0,
      publicAddress: null,
      rtpPorts: { min: 42000, max: 42999 },
      accounts: [],
      answerUsers: [],
      isTrunkSource: () => false,
      contactUser: 'zhike-voice-test',
    },
    { createTrace: () => new InMemoryCallTrace({ now: () => performance.now() }) },
  );
  let call: OutboundSipCall | null = null;
  try {
    const dialledAt = performance.now();
    call = await ua.userAgent.dial(to, { ringTimeoutMs: 15_000 });
    try {
      await call.waitForAnswer();
    } catch (ended) {
      io.stderr.write(`The call was not answered: ${JSON.stringify(ended)}\n`);
      return 1;
    }
    const answeredAt = performance.now();
    const leg = call.media;
    if (!leg) throw new Error('the answered call has no media');
    const listener = new Listener(leg);
    out(`call      ${to}`);
    out(`sip       INVITE → 200 OK in ${ms(answeredAt - dialledAt)} (codec ${leg.codec})`);

    await sleep(listenMs);
    const greeting = listener.firstVoicedAfter(answeredAt);
    out(
      greeting === null
        ? 'greeting  no audio heard (check the TTS: espeak-ng installed?)'
        : `greeting  first audio ${ms(greeting - answeredAt)} after answer, ${listener.voicedMsBetween(answeredAt, performance.now())} ms of speech`,
    );

    if (args.say) {
      const tts = createEspeakTts();
      const speech = await tts.synthesize(args.say, { language: 'zh-CN' });
      const pcm = resample(speech.samples, speech.sampleRate, SAMPLE_RATE);
      const playback = leg.play(pcm);
      await playback.done;
      const saidAt = performance.now();
      await sleep(listenMs);
      const reply = listener.firstVoicedAfter(saidAt);
      out(`said      "${args.say}" (${ms((pcm.length / SAMPLE_RATE) * 1000)} of audio)`);
      out(
        reply === null
          ? 'reply     no audio heard after the caller finished'
          : `reply     first audio ${ms(reply - saidAt)} after the caller finished (endpointing, ASR, bot, TTS and the network included)`,
      );
    }
    if (args.digits) {
      await leg.sendDtmf(args.digits);
      const keyedAt = performance.now();
      await sleep(listenMs);
      const reply = listener.firstVoicedAfter(keyedAt);
      out(
        `keyed     ${args.digits}: ${reply === null ? 'no audio heard after the keys' : `first audio ${ms(reply - keyedAt)} later`}`,
      );
    }
    listener.stop();
    const stats = leg.stats();
    out(
      `rtp       sent ${stats.packetsSent} (${stats.lateSent} late), received ${stats.packetsReceived}, dropped ${stats.droppedReceived}`,
    );
    await call.hangup();
    await call.ended;
    call = null;
  } finally {
    if (call) await call.hangup().catch(() => {});
    await ua.stop();
  }

  if (args.workspace) return printServerTrace(args.workspace, io, config, out);
  return 0;
}

async function printServerTrace(
  slug: string,
  io: Io,
  config: NonNullable<ReturnType<typeof configOrExit>>,
  out: (line: string) => void,
): Promise<number> {
  const db = openDatabase({
    url: config.databaseUrl,
    newId: createIdGenerator(systemClock),
    masterKeys: config.masterKeys,
  });
  try {
    const workspace = await db.directory.workspaceBySlug(slug);
    if (!workspace) {
      io.stderr.write(`No workspace ${slug}\n`);
      return 1;
    }
    // The server stores the call when it ends: give it a moment.
    const store = db.forWorkspace(workspace.id);
    let call = (await store.voice.calls.list({ limit: 1 }))[0];
    for (let i = 0; i < 20 && call?.state !== 'ended'; i++) {
      await sleep(250);
      call = (await store.voice.calls.list({ limit: 1 }))[0];
    }
    if (!call) {
      io.stderr.write('No call stored for that workspace\n');
      return 1;
    }
    out(`server    call ${call.id}, ${call.trace.length} trace events`);
    for (const event of call.trace) {
      if (event.durationMs === undefined && event.stage !== 'sip') continue;
      const took = event.durationMs === undefined ? '' : ` took ${ms(event.durationMs)}`;
      out(
        `  ${String(Math.round(event.atMs)).padStart(6)} ms  ${event.stage.padEnd(9)} ${event.name}${took}`,
      );
    }
    // The stored entries are the pipeline's TraceEvents (the core keeps stage names as plain strings).
    const turns = turnLatencies(call.trace as TraceEvent[]);
    if (turns.length > 0) {
      const summary = summarizeLatencies(turns);
      out(
        `turns     ${turns.length}: server-side p50 ${ms(summary.server.p50)}, p95 ${ms(summary.server.p95)}; speech providers p50 ${ms(summary.provider.p50)}`,
      );
    } else out('turns     none with speech and a spoken reply (no ASR configured?)');
    return 0;
  } finally {
    await db.close();
  }
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      say: { type: 'string' },
      digits: { type: 'string' },
      listen: { type: 'string' },
      workspace: { type: 'string' },
    },
    strict: true,
  });
  if (values.digits && !/^[0-9*#A-D]{1,20}$/.test(values.digits))
    throw new Error('--digits takes 0-9 * # A-D');
  return { ...values, say: values.say ?? '我想查一下我的订单到哪了' };
}

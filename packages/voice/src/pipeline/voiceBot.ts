// One call's conversation with the bot: greet, then listen → endpoint → ASR → brain → speak, following
// the brain's `next`, with barge-in, re-prompts on silence, digit entry and hand-off. Framework-free; it
// only sees the MediaLeg, the speech providers, the brain, the trace and the clock.

import {
  type BrainReply,
  type CallerInput,
  type CallStart,
  type CallTrace,
  type MediaLeg,
  SAMPLE_RATE,
  type SpeechRecognizer,
  type SpeechSynthesizer,
  type VoiceBrain,
  type VoiceClock,
} from '../types.ts';
import { type BargeInOptions, type CallerEvent, CallerListener } from './callerListener.ts';
import { DtmfCollector, spokenDigits } from './dtmfCollector.ts';
import type { EndpointerOptions } from './endpointer.ts';
import { EventQueue, type QueueEvent } from './eventQueue.ts';
import { checkReply, type VoiceBotOutcome } from './outcome.ts';
import { resampleYielding } from './slicedResample.ts';
import { errorText, Speaker } from './speaker.ts';
import { PIPELINE_EVENTS as E, InMemoryCallTrace } from './trace.ts';
import { guardedListener, type TranscriptSegment } from './transcript.ts';
import type { VadOptions } from './vad.ts';

export interface VoiceBotOptions {
  call: CallStart;
  leg: MediaLeg;
  brain: VoiceBrain;
  recognizer: SpeechRecognizer;
  synthesizer: SpeechSynthesizer;
  clock: VoiceClock;
  /** Where stage timings go; an in-memory trace on `clock` when absent. */
  trace?: CallTrace;
  /** BCP-47 tag for ASR and TTS ('zh-CN', 'yue', 'en-US'). */
  language?: string;
  voice?: string;
  speechRate?: number;
  /** Rate the recogniser is given audio at (telephone audio is upsampled to it). */
  asrSampleRate?: number;
  /** Silence (ms) after the bot finished speaking before the brain gets `{ kind: 'silence' }`. */
  silenceTimeoutMs?: number;
  /** Silence after the last key that ends a keypad entry in 'digits' mode. */
  interDigitTimeoutMs?: number;
  /** The same for keys pressed while the bot only listens (a menu choice such as 0); shorter. */
  menuDigitTimeoutMs?: number;
  vad?: VadOptions;
  endpointer?: EndpointerOptions;
  bargeIn?: BargeInOptions;
  /** Clock time the call's recording starts (the transcript's zero); now when absent. */
  callStartMs?: number;
  /** Caller utterances and bot sentences, as they complete. */
  onTranscript?: (segment: TranscriptSegment) => void;
  /** Ends the bot (the server takes the call elsewhere or shuts down); playback is stopped. */
  signal?: AbortSignal;
}

type BotEvent = QueueEvent<CallerEvent | { type: 'closed' } | { type: 'aborted' }>;

type Utterance = Extract<CallerEvent, { type: 'utterance' }>;
type Dtmf = Extract<CallerEvent, { type: 'dtmf' }>;

/** Thrown inside the loop when the call ends under it; caught once at the top. */
class CallOver extends Error {
  constructor(readonly kind: 'caller-hangup' | 'aborted') {
    super(kind);
  }
}

const DEFAULTS = {
  silenceTimeoutMs: 7000,
  interDigitTimeoutMs: 3000,
  menuDigitTimeoutMs: 1500,
  asrSampleRate: 16_000,
};
/** An utterance shorter than this that gave no words is taken for noise, not a failed try. */
const MIN_NO_MATCH_MS = 400;
/** Caller input kept while the bot thinks or speaks, to answer next; more than this is dropped. */
/** Utterances kept while the bot is busy: older speech is stale by the time it could be answered. */
const MAX_PENDING_UTTERANCES = 3;
/** Keys kept while the bot is busy: every key of an entry counts (a phone number is 11 of them). */
const MAX_PENDING_KEYS = 32;

/** Runs the bot on one call until hand-off, hang-up, the caller leaving, abort or failure. */
export async function runVoiceBot(options: VoiceBotOptions): Promise<VoiceBotOutcome> {
  return new VoiceBotRun(options).run();
}

class VoiceBotRun {
  private readonly trace: CallTrace;
  private readonly speaker: Speaker;
  private readonly listener: CallerListener;
  private readonly callStartMs: number;
  private readonly events: EventQueue<CallerEvent | { type: 'closed' } | { type: 'aborted' }>;
  /** Caller input that arrived while the bot was busy: answered before listening again. */
  private readonly pending: (Utterance | Dtmf)[] = [];
  /** Caller inputs the brain was given. */
  private turns = 0;
  /** Tags a caller turn's trace events (and its reply's); also counts utterances that were ignored. */
  private turnSeq = 0;
  private ended: CallOver | null = null;
  private speaking: { stop(): void } | null = null;
  private readonly emitSegment: (segment: TranscriptSegment) => void;

  constructor(private readonly o: VoiceBotOptions) {
    this.trace = o.trace ?? new InMemoryCallTrace(o.clock);
    this.events = new EventQueue(o.clock);
    this.callStartMs = o.callStartMs ?? o.clock.now();
    this.emitSegment = guardedListener(o.onTranscript, (error) =>
      this.trace.add({ stage: 'recording', name: 'transcript.failed', detail: { error: errorText(error) } }),
    );
    this.speaker = new Speaker({
      leg: o.leg,
      synthesizer: o.synthesizer,
      clock: o.clock,
      trace: this.trace,
      language: o.language,
      voice: o.voice,
      rate: o.speechRate,
      callStartMs: this.callStartMs,
      onTranscript: this.emitSegment,
    });
    this.listener = new CallerListener(
      { leg: o.leg, clock: o.clock, vad: o.vad, endpointer: o.endpointer, bargeIn: o.bargeIn },
      (event) => this.push(event),
    );
    const closed = () => this.push({ type: 'closed' });
    o.leg.closed.then(closed, closed);
    if (o.signal?.aborted) this.push({ type: 'aborted' });
    o.signal?.addEventListener('abort', () => this.push({ type: 'aborted' }), { once: true });
  }

  async run(): Promise<VoiceBotOutcome> {
    let reply: BrainReply | null = null;
    try {
      reply = checkReply(await this.await(this.o.brain.start(this.o.call)));
      this.trace.add({ stage: 'brain', name: E.brainDone, detail: { turn: 0, next: reply.next } });
      for (;;) {
        const final = reply.next === 'handoff' || reply.next === 'hangup';
        await this.speak(reply, final);
        if (reply.next === 'handoff') {
          return { kind: 'handoff', queueId: reply.queueId, intent: reply.intent, turns: this.turns };
        }
        if (reply.next === 'hangup') return { kind: 'hangup', turns: this.turns };
        const input = await this.listen(reply);
        const turn = this.turnSeq;
        const started = this.o.clock.now();
        reply = checkReply(await this.await(this.o.brain.turn(this.o.call.callId, input)));
        this.trace.add({
          stage: 'brain',
          name: E.brainDone,
          durationMs: Math.round(this.o.clock.now() - started),
          detail: { turn, input: input.kind, next: reply.next, intent: reply.intent ?? null },
        });
      }
    } catch (error) {
      if (error instanceof CallOver) return { kind: error.kind, turns: this.turns };
      const failure = error instanceof Error ? error : new Error(String(error));
      this.trace.add({ stage: 'brain', name: 'bot.failed', detail: { error: errorText(failure) } });
      return { kind: 'failed', error: failure, turns: this.turns };
    } finally {
      // Never leave audio queued behind: a failure or abort mid-reply stops it here.
      this.speaking?.stop();
      this.listener.close();
      this.events.cancelTimers();
    }
  }

  // ---- speaking ------------------------------------------------------------------------------------

  /** Speaks a reply. Barge-in (speech or a key) stops it unless it is the call's last words. */
  private async speak(reply: BrainReply, final: boolean): Promise<void> {
    if (reply.say.length === 0) return;
    const speaking = this.speaker.speak(reply.say, this.turnSeq);
    this.speaking = speaking;
    const token = this.settleInto(speaking.done);
    if (!final) this.listener.armBargeIn();
    let interrupted = false;
    try {
      for (;;) {
        const event = await this.next();
        if (event.type === 'settled' && event.token === token) return;
        if (final) continue;
        if (event.type === 'barge-in' && !interrupted) {
          interrupted = true;
          this.trace.add({
            stage: 'vad',
            name: E.bargeIn,
            detail: { turn: this.turnSeq, echoReturnLossDb: Math.round(this.listener.echoReturnLossDb) },
          });
          speaking.stop();
        } else if (event.type === 'dtmf') {
          interrupted = true;
          speaking.stop();
          this.keep(event);
        } else if (event.type === 'utterance' && (event.interruptedBot || !event.overPlayback)) {
          this.keep(event);
        }
        // A speech start that never became a barge-in (a cough, our echo) is dropped with its utterance.
      }
    } catch (error) {
      speaking.stop();
      throw error;
    } finally {
      this.speaking = null;
      this.listener.disarmBargeIn();
    }
  }

  // ---- listening -----------------------------------------------------------------------------------

  /** Waits for the caller's next input for `reply` ('listen' or 'digits'). */
  private async listen(reply: BrainReply): Promise<CallerInput> {
    const digitsMode = reply.next === 'digits';
    let collector: DtmfCollector | null = null;
    let collectorToken = 0;
    let silenceToken = this.startTimer(this.o.silenceTimeoutMs ?? DEFAULTS.silenceTimeoutMs);
    for (;;) {
      const event = this.pending.shift() ?? (await this.next());
      switch (event.type) {
        case 'timer':
          if (event.token !== silenceToken || collector) break;
          if (this.listener.inSpeech) {
            // The caller is mid-sentence: wait for the utterance instead.
            silenceToken = this.startTimer(this.o.silenceTimeoutMs ?? DEFAULTS.silenceTimeoutMs);
            break;
          }
          this.turns++;
          this.trace.add({ stage: 'vad', name: E.silence, detail: { turn: ++this.turnSeq } });
          return { kind: 'silence' };
        case 'speech-start':
          silenceToken = 0;
          this.trace.add({ stage: 'vad', name: E.speechStart, detail: { turn: this.turnSeq + 1 } });
          break;
        case 'utterance': {
          // Speech while keys are being pressed is ignored; the keypad entry is finished first.
          if (collector && collector.collected.length > 0) break;
          silenceToken = 0;
          const input = await this.recognise(event, digitsMode);
          if (!input) {
            // A cough or a bang: no words and too short to be a try at speaking. Keep listening.
            if (!collector)
              silenceToken = this.startTimer(this.o.silenceTimeoutMs ?? DEFAULTS.silenceTimeoutMs);
            break;
          }
          collector?.cancel();
          this.turns++;
          return input;
        }
        case 'dtmf':
          silenceToken = 0;
          this.trace.add({
            stage: 'dtmf',
            name: E.dtmfDigit,
            detail: { digit: event.digit, turn: this.turnSeq + 1 },
          });
          if (!collector) {
            collector = new DtmfCollector({
              clock: this.o.clock,
              maxDigits: digitsMode ? reply.maxDigits : undefined,
              // Keys pressed unasked are a menu choice ("0 for a person"): answer them sooner.
              interDigitTimeoutMs: digitsMode
                ? (this.o.interDigitTimeoutMs ?? DEFAULTS.interDigitTimeoutMs)
                : (this.o.menuDigitTimeoutMs ?? DEFAULTS.menuDigitTimeoutMs),
            });
            collectorToken = this.settleInto(collector.result);
          }
          collector.push(event.digit);
          break;
        case 'settled':
          if (event.token === collectorToken && collector) {
            const digits = collector.collected;
            this.turns++;
            this.turnSeq++;
            this.trace.add({
              stage: 'dtmf',
              name: E.digitsDone,
              detail: { turn: this.turnSeq, digits: digits.length },
            });
            return { kind: 'digits', digits };
          }
          break;
        default:
          break;
      }
    }
  }

  /**
   * ASR for one utterance. An empty or failed transcript is still a turn (the brain words the no-match
   * prompt), except an empty one for a noise too short to be speech: null, nothing to answer.
   */
  private async recognise(u: Utterance, digitsMode: boolean): Promise<CallerInput | null> {
    const turn = ++this.turnSeq;
    this.trace.add({
      stage: 'vad',
      name: E.endpoint,
      detail: {
        turn,
        endSilenceMs: Math.round(u.endSilenceMs),
        utteranceMs: Math.round(u.endedAtMs - u.startedAtMs),
        reason: u.reason,
      },
    });
    const started = this.o.clock.now();
    this.trace.add({ stage: 'asr', name: E.asrStart, detail: { turn, provider: this.o.recognizer.id } });
    let text = '';
    let language: string | undefined;
    let confidence: number | undefined;
    let failed = false;
    try {
      const rate = this.o.asrSampleRate ?? DEFAULTS.asrSampleRate;
      const samples = await resampleYielding(u.audio, SAMPLE_RATE, rate);
      const result = await this.await(
        this.o.recognizer.transcribe(
          { samples, sampleRate: rate },
          { language: this.o.language, signal: this.o.signal },
        ),
      );
      text = result.text.trim();
      language = result.language;
      confidence = result.confidence;
      this.trace.add({
        stage: 'asr',
        name: E.asrDone,
        durationMs: Math.round(this.o.clock.now() - started),
        detail: { turn, provider: this.o.recognizer.id, chars: text.length },
      });
    } catch (error) {
      if (error instanceof CallOver) throw error;
      failed = true;
      this.trace.add({
        stage: 'asr',
        name: E.asrFailed,
        durationMs: Math.round(this.o.clock.now() - started),
        detail: { turn, provider: this.o.recognizer.id, error: errorText(error) },
      });
    }
    if (!text && !failed && u.endedAtMs - u.startedAtMs < MIN_NO_MATCH_MS) {
      this.trace.add({ stage: 'asr', name: E.ignored, detail: { turn } });
      return null;
    }
    if (text) {
      this.emitSegment({
        speaker: 'caller',
        text,
        startMs: Math.round(u.startedAtMs - this.callStartMs),
        endMs: Math.round(u.endedAtMs - this.callStartMs),
        ...(language ? { language } : {}),
      });
    }
    if (digitsMode && text) {
      const digits = spokenDigits(text);
      if (digits) return { kind: 'digits', digits };
    }
    return {
      kind: 'speech',
      text,
      ...(language ? { language } : {}),
      ...(confidence !== undefined ? { confidence } : {}),
    };
  }

  // ---- the event queue -----------------------------------------------------------------------------

  private push(event: BotEvent): void {
    this.events.push(event);
  }

  /** The next event; the call ending (leg closed, abort) is thrown as CallOver from here. */
  private async next(): Promise<BotEvent> {
    if (this.ended) throw this.ended;
    const event = await this.events.next();
    if (event.type === 'closed' || event.type === 'aborted') {
      this.ended = new CallOver(event.type === 'closed' ? 'caller-hangup' : 'aborted');
      throw this.ended;
    }
    return event;
  }

  /** Waits for a promise while still handling the call: caller input is kept, the call ending throws. */
  private async await<T>(promise: Promise<T>): Promise<T> {
    const token = this.settleInto(promise);
    for (;;) {
      const event = await this.next();
      if (event.type === 'settled' && event.token === token) {
        if (event.failed) throw event.error;
        return event.value as T;
      }
      if (event.type === 'utterance' || event.type === 'dtmf') this.keep(event);
    }
  }

  private settleInto(promise: Promise<unknown>): number {
    return this.events.settleInto(promise);
  }

  private startTimer(ms: number): number {
    return this.events.startTimer(ms);
  }

  private keep(event: Utterance | Dtmf): void {
    this.pending.push(event);
    const limit = event.type === 'dtmf' ? MAX_PENDING_KEYS : MAX_PENDING_UTTERANCES;
    if (this.pending.filter((e) => e.type === event.type).length > limit)
      this.pending.splice(
        this.pending.findIndex((e) => e.type === event.type),
        1,
      );
  }
}

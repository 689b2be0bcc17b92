// The voice bot pipeline: VAD and endpointing, the per-call bot loop (barge-in, re-prompts, digit entry,
// read-back), the live transcriber for human calls, and the call trace with turn latencies.
export * from './callerListener.ts';
export * from './dtmfCollector.ts';
export * from './endpointer.ts';
export * from './eventQueue.ts';
export * from './outcome.ts';
export * from './slicedResample.ts';
export * from './speakable.ts';
export * from './speaker.ts';
export * from './trace.ts';
export * from './transcriber.ts';
export * from './transcript.ts';
export * from './vad.ts';
export * from './voiceBot.ts';

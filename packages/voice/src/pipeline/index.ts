// The voice bot pipeline: VAD and endpointing, digit entry, read-back text, the call trace.
export * from './dtmfCollector.ts';
export * from './endpointer.ts';
export * from './speakable.ts';
export * from './trace.ts';
export * from './vad.ts';

export * from './dualChannelRecorder.ts';

export * from './call/index.ts';
export * from './codecs/g711.ts';
export * from './codecs/resample.ts';
export * from './codecs/wav.ts';
export * from './pipeline/index.ts';
export * from './sdp/index.ts';
export * from './sip/index.ts';
export * from './types.ts';

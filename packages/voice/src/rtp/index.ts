export * from './dtmf.ts';
export * from './floodGuard.ts';
export * from './jitterBuffer.ts';
export * from './packet.ts';
export * from './playbackQueue.ts';
export * from './ports.ts';
export * from './session.ts';

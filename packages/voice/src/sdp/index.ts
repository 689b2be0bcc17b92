// SDP offer/answer for the call's audio stream.
export * from './offerAnswer.ts';

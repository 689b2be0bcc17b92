export type {
  PcmAudio,
  SpeechRecognizer,
  SpeechSynthesizer,
  SynthesizeOptions,
  TranscribeOptions,
  Transcript,
} from '@zhike/voice';

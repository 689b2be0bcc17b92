// One line of a call's transcript, as the bot loop and the live transcriber emit it.

export type TranscriptSpeaker = 'caller' | 'bot' | 'agent';

export interface TranscriptSegment {
  speaker: TranscriptSpeaker;
  text: string;
  /** Milliseconds since the call's recording started. */
  startMs: number;
  endMs: number;
  /** A bot sentence cut short by barge-in (the text is what was meant to be said). */
  interrupted?: boolean;
  /** Language the recogniser reported, for caller and agent segments. */
  language?: string;
}

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

/**
 * Wraps a segment listener so its failure (storage down, a bug) is reported and never ends the call
 * or the transcription of the segments after it.
 */
export function guardedListener(
  listener: ((segment: TranscriptSegment) => void) | undefined,
  onError: (error: unknown) => void,
): (segment: TranscriptSegment) => void {
  return (segment) => {
    if (!listener) return;
    try {
      listener(segment);
    } catch (error) {
      onError(error);
    }
  };
}

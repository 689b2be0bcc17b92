// Connects two media legs both ways (a caller's RTP leg and an agent's browser leg after a transfer):
// audio frames and DTMF cross over, with a bound on queued audio so clock drift cannot build up delay.
import type { MediaLeg, Playback, Unsubscribe } from '../types.ts';

export interface BridgeOptions {
  /**
   * Frames allowed in flight towards one leg before its backlog is dropped. The two legs run on their
   * own 20 ms clocks; without a bound a slightly faster sender would grow the delay without end.
   */
  maxQueuedFrames?: number;
  /** Forward DTMF key presses from one side to the other (default true). */
  forwardDtmf?: boolean;
}

export interface MediaBridge {
  /** Stops forwarding both ways; the legs stay open. Called by itself when either leg closes. */
  disconnect(): void;
  /** Resolves when the bridge stops (disconnect() or a leg closed). */
  readonly done: Promise<void>;
}

function forward(from: MediaLeg, to: MediaLeg, maxQueued: number, dtmf: boolean): Unsubscribe[] {
  const inFlight = new Set<Playback>();
  const offAudio = from.onAudio((frame) => {
    if (inFlight.size >= maxQueued) {
      to.stopPlayback();
      inFlight.clear();
    }
    const playback = to.play(frame);
    inFlight.add(playback);
    void playback.done.then(() => inFlight.delete(playback));
  });
  const offDtmf = dtmf
    ? from.onDtmf((digit) => {
        to.sendDtmf(digit).catch(() => {
          // The other leg closed meanwhile; the bridge ends with it.
        });
      })
    : () => {};
  return [offAudio, offDtmf];
}

export function bridgeLegs(a: MediaLeg, b: MediaLeg, options: BridgeOptions = {}): MediaBridge {
  const maxQueued = options.maxQueuedFrames ?? 5;
  const dtmf = options.forwardDtmf ?? true;
  const offs = [...forward(a, b, maxQueued, dtmf), ...forward(b, a, maxQueued, dtmf)];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let connected = true;
  const disconnect = () => {
    if (!connected) return;
    connected = false;
    for (const off of offs) off();
    finish();
  };
  void a.closed.then(disconnect);
  void b.closed.then(disconnect);
  return { disconnect, done };
}

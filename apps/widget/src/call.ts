// The call button's call: the visitor's microphone on an RTCPeerConnection, the offer sent over the chat
// socket (`call.start`), the server's answer applied, the shop's audio played. States for the view:
// connecting → bot / waiting / agent → ended (or failed). Browser APIs come in as options, for tests.
import type { CallErrorCode, LiveCallState } from '@zhike/contracts/protocol';
import type { CallServerFrame } from './connection.ts';

export type CallPhase = 'idle' | 'connecting' | 'bot' | 'waiting' | 'agent' | 'ended' | 'failed' | 'no-mic';

export interface CallDeps {
  getMicrophone: () => Promise<MediaStream>;
  createPeer: () => RTCPeerConnection;
  /** Sends a call frame on the chat socket; false when it is not connected. */
  send: (frame: { type: 'call.start'; sdp: string } | { type: 'call.hangup' }) => boolean;
  /** Where the shop's audio plays (an <audio> element the view owns). */
  play: (stream: MediaStream | null) => void;
  /** How long to wait for ICE candidates before sending the offer anyway. */
  gatherTimeoutMs?: number;
}

const phaseOf = (state: LiveCallState): CallPhase =>
  state === 'agent' ? 'agent' : state === 'queued' ? 'waiting' : state === 'ended' ? 'ended' : 'bot';

export class WidgetCall {
  private phase: CallPhase = 'idle';
  private peer: RTCPeerConnection | null = null;
  private microphone: MediaStream | null = null;
  private callId: string | null = null;
  private readonly listeners = new Set<(phase: CallPhase, error?: CallErrorCode) => void>();

  constructor(private readonly deps: CallDeps) {}

  get current(): CallPhase {
    return this.phase;
  }

  get active(): boolean {
    return ['connecting', 'bot', 'waiting', 'agent'].includes(this.phase);
  }

  onPhase(listener: (phase: CallPhase, error?: CallErrorCode) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.active) return;
    this.callId = null;
    this.set('connecting');
    try {
      this.microphone = await this.deps.getMicrophone();
    } catch {
      this.finish('no-mic');
      return;
    }
    try {
      const peer = this.deps.createPeer();
      this.peer = peer;
      for (const track of this.microphone.getAudioTracks()) peer.addTrack(track, this.microphone);
      peer.ontrack = (event) => this.deps.play(event.streams[0] ?? new MediaStream([event.track]));
      peer.onconnectionstatechange = () => {
        if (peer.connectionState === 'failed') this.hangUp('failed');
      };
      await peer.setLocalDescription(await peer.createOffer());
      await this.gathered(peer);
      if (this.peer !== peer) return; // hung up meanwhile
      const sdp = peer.localDescription?.sdp ?? '';
      if (!this.deps.send({ type: 'call.start', sdp })) this.finish('failed');
    } catch {
      this.finish('failed');
    }
  }

  /** The visitor pressed hang-up (or the chat connection went away). */
  hangUp(phase: 'ended' | 'failed' = 'ended'): void {
    if (!this.active) return;
    this.deps.send({ type: 'call.hangup' });
    this.finish(phase);
  }

  /** A call frame from the server. */
  receive(frame: CallServerFrame): void {
    if (!this.peer) return;
    switch (frame.type) {
      case 'call.answer':
        this.callId = frame.callId;
        this.peer
          .setRemoteDescription({ type: 'answer', sdp: frame.sdp })
          .then(() => {
            if (this.phase === 'connecting') this.set('bot');
          })
          .catch(() => this.hangUp('failed'));
        break;
      case 'call.state':
        if (frame.callId === this.callId) this.set(phaseOf(frame.state));
        break;
      case 'call.ended':
        if (frame.callId === this.callId) this.finish('ended');
        break;
      case 'call.error':
        if (this.phase === 'connecting' || frame.callId === this.callId) this.finish('failed', frame.code);
        break;
    }
  }

  private gathered(peer: RTCPeerConnection): Promise<void> {
    if (peer.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.deps.gatherTimeoutMs ?? 2000);
      peer.onicegatheringstatechange = () => {
        if (peer.iceGatheringState !== 'complete') return;
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private finish(phase: CallPhase, error?: CallErrorCode): void {
    for (const track of this.microphone?.getTracks() ?? []) track.stop();
    this.microphone = null;
    const peer = this.peer;
    this.peer = null;
    if (peer) {
      peer.ontrack = null;
      peer.onconnectionstatechange = null;
      peer.close();
    }
    this.deps.play(null);
    this.set(phase, error);
  }

  private set(phase: CallPhase, error?: CallErrorCode): void {
    this.phase = phase;
    for (const listener of this.listeners) listener(phase, error);
  }
}

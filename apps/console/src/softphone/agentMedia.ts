// The agent's side of a call in the browser: the microphone on an RTCPeerConnection whose offer the
// server answers (G.711), the caller's audio played through an <audio> element. Mute also silences the
// track locally, so nothing leaves the browser while muted.

export class AgentMedia {
  private peer: RTCPeerConnection | null = null;
  private microphone: MediaStream | null = null;
  private readonly audio: HTMLAudioElement;

  constructor(private readonly onFailed: () => void) {
    this.audio = new Audio();
    this.audio.autoplay = true;
  }

  /** Opens the microphone and returns the offer SDP (ICE gathered, at most `gatherMs` waited). */
  async offer(gatherMs = 2000): Promise<string> {
    this.microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    const peer = new RTCPeerConnection();
    this.peer = peer;
    for (const track of this.microphone.getAudioTracks()) peer.addTrack(track, this.microphone);
    peer.ontrack = (event) => {
      this.audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void this.audio.play().catch(() => {});
    };
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === 'failed') this.onFailed();
    };
    await peer.setLocalDescription(await peer.createOffer());
    if (peer.iceGatheringState !== 'complete')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, gatherMs);
        peer.onicegatheringstatechange = () => {
          if (peer.iceGatheringState !== 'complete') return;
          clearTimeout(timer);
          resolve();
        };
      });
    return peer.localDescription?.sdp ?? '';
  }

  async answer(sdp: string): Promise<void> {
    await this.peer?.setRemoteDescription({ type: 'answer', sdp });
  }

  setMuted(muted: boolean): void {
    for (const track of this.microphone?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  close(): void {
    for (const track of this.microphone?.getTracks() ?? []) track.stop();
    this.microphone = null;
    if (this.peer) {
      this.peer.ontrack = null;
      this.peer.onconnectionstatechange = null;
      this.peer.close();
      this.peer = null;
    }
    this.audio.srcObject = null;
  }
}

// Answers a browser's SDP offer with a WebRtcLeg: G.711 and telephone-event only (a browser that offers
// neither PCMU nor PCMA is refused with a clear error), host candidates gathered before the answer is
// returned (no trickle), STUN/TURN servers and extra host addresses from the server config.
import { randomUUID } from 'node:crypto';
import type { RTCPeerConnection, RTCRtpCodecParameters, RTCRtpTransceiver } from 'werift';
import { DEFAULT_LEG_TIMERS, WebRtcLeg, type WebRtcLegTimers } from './webRtcLeg.ts';
import { loadWerift, werift } from './werift.ts';

/** ICE settings for browser legs; defaults (all empty) suit a LAN or the same machine. */
export interface WebRtcIceConfig {
  /** STUN/TURN servers, e.g. [{ urls: 'stun:stun.example.com:3478' }]: needed when browsers sit behind NAT. */
  iceServers: { urls: string; username?: string; credential?: string }[];
  /** Extra host candidates to advertise, e.g. the public IP of a server behind 1:1 NAT. */
  additionalHostAddresses: string[];
  /** UDP port range for ICE (open it in the firewall); null: any free port. */
  portRange: [number, number] | null;
}

export const DEFAULT_ICE_CONFIG: WebRtcIceConfig = {
  iceServers: [],
  additionalHostAddresses: [],
  portRange: null,
};

/** Longest SDP we parse; a browser offer is a few kilobytes. */
export const MAX_OFFER_SDP = 20_000;
const GATHER_TIMEOUT_MS = 3_000;

export class OfferRejected extends Error {}

function g711Codecs(): RTCRtpCodecParameters[] {
  const { RTCRtpCodecParameters } = werift();
  // werift answers with the payload numbers of the offer for codecs it matches by name.
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
    new RTCRtpCodecParameters({
      mimeType: 'audio/telephone-event',
      clockRate: 8000,
      channels: 1,
      payloadType: 101,
      parameters: '0-15',
    }),
  ];
}

/** After `loadWerift()`. */
export function createPeerConnection(ice: WebRtcIceConfig): RTCPeerConnection {
  const { RTCPeerConnection } = werift();
  return new RTCPeerConnection({
    codecs: { audio: g711Codecs(), video: [] },
    iceServers: ice.iceServers,
    iceAdditionalHostAddresses: ice.additionalHostAddresses,
    ...(ice.portRange ? { icePortRange: ice.portRange } : {}),
    iceUseIpv6: false,
    bundlePolicy: 'max-bundle',
  });
}

export function waitForGathering(pc: RTCPeerConnection, timeoutMs = GATHER_TIMEOUT_MS): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') done();
    });
    function done() {
      clearTimeout(timer);
      unSubscribe();
      resolve();
    }
  });
}

function validateOffer(sdp: unknown): string {
  if (typeof sdp !== 'string' || sdp.length === 0) throw new OfferRejected('The offer has no SDP');
  if (sdp.length > MAX_OFFER_SDP)
    throw new OfferRejected(`The offer is longer than ${MAX_OFFER_SDP} characters`);
  if (!/^v=0\r?\n/.test(sdp)) throw new OfferRejected('The offer is not SDP');
  if (!/^m=audio /m.test(sdp)) throw new OfferRejected('The offer has no audio');
  if (!/^a=rtpmap:\d+ (PCMU|PCMA)\/8000/im.test(sdp))
    throw new OfferRejected('The offer has no G.711 (PCMU/PCMA) audio');
  return sdp;
}

export interface AnsweredLeg {
  leg: WebRtcLeg;
  answerSdp: string;
}

/** Answers `offerSdp`; the leg starts its clock once ICE and DTLS connect. */
export async function answerBrowserOffer(
  offerSdp: unknown,
  options: { ice?: WebRtcIceConfig; timers?: WebRtcLegTimers; id?: string } = {},
): Promise<AnsweredLeg> {
  const sdp = validateOffer(offerSdp);
  const { MediaStreamTrack } = await loadWerift();
  const pc = createPeerConnection(options.ice ?? DEFAULT_ICE_CONFIG);
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const transceiver = pc.getTransceivers().find((t: RTCRtpTransceiver) => t.kind === 'audio');
    if (!transceiver) throw new OfferRejected('The offer has no audio');
    transceiver.setDirection('sendrecv');
    // The sender needs a track to be "sending" in the answer; frames are written by the leg itself.
    transceiver.sender.replaceTrack(new MediaStreamTrack({ kind: 'audio' }));
    await pc.setLocalDescription(await pc.createAnswer());
    await waitForGathering(pc);
    const answerSdp = pc.localDescription?.sdp;
    const codec = transceiver.sender.codec?.name.toUpperCase();
    if (!answerSdp || (codec !== 'PCMU' && codec !== 'PCMA'))
      throw new OfferRejected('No common audio codec: the browser must offer PCMU or PCMA');
    const leg = new WebRtcLeg(
      options.id ?? randomUUID(),
      pc,
      transceiver,
      options.timers ?? DEFAULT_LEG_TIMERS,
    );
    return { leg, answerSdp };
  } catch (error) {
    await pc.close().catch(() => {});
    if (error instanceof OfferRejected) throw error;
    throw new OfferRejected(`The offer could not be answered: ${(error as Error).message}`);
  }
}

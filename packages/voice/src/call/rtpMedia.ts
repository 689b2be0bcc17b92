// Call media on real RTP: a port pair from the allocator before the SDP exchange, an RtpSession to the
// negotiated peer after it (rtp/ does G.711, the 20 ms clock, latching, DTMF, media timeout).
import { RtpPortAllocator, type RtpPortRange } from '../rtp/ports.ts';
import { RtpSession, type RtpSessionOptions } from '../rtp/session.ts';
import type { CallMediaFactory, RtpReservation } from './ports.ts';

export interface RtpMediaOptions {
  /** Media timeout and the like, passed to every session. */
  session?: Pick<RtpSessionOptions, 'mediaTimeoutMs' | 'symmetric' | 'flood' | 'jitter'>;
  onError?: (error: unknown) => void;
}

export function rtpMediaFactory(
  range: RtpPortRange | RtpPortAllocator,
  options: RtpMediaOptions = {},
): CallMediaFactory {
  const allocator = range instanceof RtpPortAllocator ? range : new RtpPortAllocator(range);
  let sessions = 0;
  return {
    async reserve(): Promise<RtpReservation> {
      const lease = await allocator.allocate();
      let session: RtpSession | null = null;
      return {
        port: lease.port,
        start(media) {
          if (session) throw new Error('RTP already started for this call');
          sessions += 1;
          session = new RtpSession({
            id: `rtp-${lease.port}-${sessions}`,
            lease,
            media,
            ...options.session,
            ...(options.onError ? { onError: options.onError } : {}),
          });
          return session;
        },
        update(media) {
          session?.update(media);
        },
        release() {
          // A started session owns the lease and gives it back when it closes.
          if (session) session.close();
          else lease.release();
        },
      };
    },
  };
}

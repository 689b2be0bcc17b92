import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { agreedDirection, SdpNegotiationError, SdpSession } from './offerAnswer.ts';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

const baresipOffer = crlf([
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 21200 RTP/AVP 0 8 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
]);

function session(port = 30000) {
  return new SdpSession({ address: '203.0.113.7', port, sessionId: '42' });
}

describe('SdpSession.answerOffer', () => {
  it('answers a baresip offer with its first G.711 codec, telephone-event and our public address', () => {
    const { sdp, media } = session().answerOffer(baresipOffer);
    expect(media).toEqual({
      remoteAddress: '127.0.0.1',
      remotePort: 21200,
      codec: 'PCMU',
      payloadType: 0,
      dtmfPayloadType: 101,
      ptime: 20,
      direction: 'sendrecv',
    });
    const answer = parse(sdp);
    expect(answer.connection?.ip).toBe('203.0.113.7');
    expect(answer.origin.address).toBe('203.0.113.7');
    expect(answer.media[0]?.port).toBe(30000);
    expect(answer.media[0]?.payloads).toBe('0 101');
    expect(answer.media[0]?.ptime).toBe(20);
    expect(answer.media[0]?.direction).toBe('sendrecv');
    expect(sdp).toContain('a=rtpmap:101 telephone-event/8000');
  });

  it("follows the peer's order and matches dynamic payload numbers by name", () => {
    const offer = baresipOffer
      .replace('m=audio 21200 RTP/AVP 0 8 101', 'm=audio 21200 RTP/AVP 96 97 8 126')
      .replace(
        'a=rtpmap:101 telephone-event/8000',
        'a=rtpmap:96 opus/48000/2\r\na=rtpmap:97 pcma/8000\r\na=rtpmap:126 telephone-event/8000',
      );
    const { media, sdp } = session().answerOffer(offer);
    expect(media.codec).toBe('PCMA');
    expect(media.payloadType).toBe(97);
    expect(media.dtmfPayloadType).toBe(126);
    expect(parse(sdp).media[0]?.payloads).toBe('97 126');
  });

  it('uses a media-level connection address over the session one and works without DTMF', () => {
    const offer = crlf([
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.1',
      's=-',
      'c=IN IP4 10.0.0.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 8',
      'c=IN IP4 10.0.0.9',
    ]);
    const { media } = session().answerOffer(offer);
    expect(media.remoteAddress).toBe('10.0.0.9');
    expect(media.codec).toBe('PCMA');
    expect(media.dtmfPayloadType).toBeNull();
  });

  it('rejects offers without G.711 with 488', () => {
    const offer = baresipOffer
      .replace('RTP/AVP 0 8 101', 'RTP/AVP 96 101')
      .replace('a=rtpmap:101', 'a=rtpmap:96 opus/48000/2\r\na=rtpmap:101');
    const error = catchError(() => session().answerOffer(offer));
    expect(error).toBeInstanceOf(SdpNegotiationError);
    expect((error as SdpNegotiationError).statusCode).toBe(488);
  });

  it('rejects encrypted-only and video-only offers with 488 and broken bodies with 400', () => {
    const srtp = baresipOffer.replace('RTP/AVP', 'RTP/SAVP');
    expect((catchError(() => session().answerOffer(srtp)) as SdpNegotiationError).statusCode).toBe(488);
    const video = baresipOffer.replace('m=audio', 'm=video');
    expect((catchError(() => session().answerOffer(video)) as SdpNegotiationError).statusCode).toBe(488);
    for (const broken of ['', 'hello', 'v=0\r\nm=audio 4000 RTP/AVP 0\r\n', 'x'.repeat(20000)]) {
      const error = catchError(() => session().answerOffer(broken));
      expect(error).toBeInstanceOf(SdpNegotiationError);
    }
  });

  it('keeps the m= lines of the offer and refuses the other streams with port 0', () => {
    const offer = `${baresipOffer}m=video 21300 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n`;
    const answer = parse(session().answerOffer(offer).sdp);
    expect(answer.media.map((media) => [media.type, media.port])).toEqual([
      ['audio', 30000],
      ['video', 0],
    ]);
  });

  it('answers hold offers with the matching direction (sendonly → recvonly, c=0.0.0.0 → no sending)', () => {
    expect(session().answerOffer(baresipOffer.replace('a=sendrecv', 'a=sendonly')).media.direction).toBe(
      'recvonly',
    );
    expect(session().answerOffer(baresipOffer.replace('a=sendrecv', 'a=inactive')).media.direction).toBe(
      'inactive',
    );
    const old = baresipOffer.replace('c=IN IP4 127.0.0.1', 'c=IN IP4 0.0.0.0');
    expect(session().answerOffer(old).media.direction).toBe('recvonly');
    expect(session().answerOffer(baresipOffer, 'sendonly').media.direction).toBe('sendonly');
  });
});

describe('SdpSession offers', () => {
  it('offers PCMA, PCMU and telephone-event and reads the answer', () => {
    const ours = session(31000);
    const offer = parse(ours.createOffer());
    expect(offer.media[0]?.payloads).toBe('8 0 101');
    expect(offer.media[0]?.direction).toBe('sendrecv');
    const media = ours.acceptAnswer(baresipOffer.replace('RTP/AVP 0 8 101', 'RTP/AVP 8 101'));
    expect(media).toMatchObject({
      codec: 'PCMA',
      payloadType: 8,
      dtmfPayloadType: 101,
      direction: 'sendrecv',
    });
  });

  it('puts the peer on hold with sendonly and reads a recvonly answer', () => {
    const ours = session();
    ours.createOffer();
    ours.acceptAnswer(baresipOffer);
    const hold = ours.createOffer('sendonly');
    expect(parse(hold).media[0]?.direction).toBe('sendonly');
    const media = ours.acceptAnswer(baresipOffer.replace('a=sendrecv', 'a=recvonly'));
    expect(media.direction).toBe('sendonly');
  });

  it('moves the o= version only when the description changes', () => {
    const ours = session();
    const first = parse(ours.createOffer()).origin.sessionVersion;
    const same = parse(ours.createOffer()).origin.sessionVersion;
    const changed = parse(ours.createOffer('sendonly')).origin.sessionVersion;
    expect(same).toBe(first);
    expect(changed).toBe(Number(first) + 1);
  });

  it('refuses an answer without an offer and an answer with no codec of ours', () => {
    expect(catchError(() => session().acceptAnswer(baresipOffer))).toBeInstanceOf(SdpNegotiationError);
    const ours = session();
    ours.createOffer();
    const error = catchError(() => ours.acceptAnswer(baresipOffer.replace('RTP/AVP 0 8 101', 'RTP/AVP 9')));
    expect((error as SdpNegotiationError).statusCode).toBe(488);
  });

  it('intersects directions both ways', () => {
    expect(agreedDirection('sendrecv', 'sendonly')).toBe('recvonly');
    expect(agreedDirection('sendrecv', 'recvonly')).toBe('sendonly');
    expect(agreedDirection('sendonly', 'sendonly')).toBe('inactive');
    expect(agreedDirection('recvonly', 'sendrecv')).toBe('recvonly');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

import { describe, expect, it } from 'vitest';
import { getCSeq, getHeader } from './headers.ts';
import { createResponse, type SipRequest, type SipResponse } from './message.ts';
import { type RegistrationEvent, SipRegistration } from './registration.ts';
import { SteppedClock } from './testClock.test-support.ts';

/** A registrar scripted per REGISTER: each entry answers one request. */
function scriptedStack(answer: (request: SipRequest, index: number) => SipResponse) {
  const sent: SipRequest[] = [];
  return {
    sent,
    stack: {
      sendRequest(request: SipRequest) {
        sent.push(request);
        const response = answer(request, sent.length - 1);
        return {
          onResponse(listener: (r: SipResponse) => void) {
            queueMicrotask(() => listener(response));
            return () => true;
          },
        };
      },
      localAddress: () => ({ host: '192.0.2.10', port: 5070 }),
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('SipRegistration', () => {
  it('uses Min-Expires after 423, refreshes at half the granted lifetime and unregisters on stop', async () => {
    const clock = new SteppedClock();
    const { sent, stack } = scriptedStack((request, index) => {
      const expires = getHeader(request, 'Expires');
      if (index === 0)
        return createResponse(request, 423, undefined, { headers: [{ name: 'Min-Expires', value: '120' }] });
      return createResponse(request, 200, undefined, {
        headers: [
          {
            name: 'Contact',
            value: `<sip:other@198.51.100.1>;expires=999, <sip:ext100@192.0.2.10:5070>;expires=${expires === '0' ? 0 : 100}`,
          },
        ],
      });
    });
    const registration = new SipRegistration({
      stack,
      clock,
      registrar: 'sip:pbx.example.com:5080',
      user: 'ext100',
      password: 'pw',
      expires: 60,
      resolve: async () => ['203.0.113.5'],
    });
    const seen: RegistrationEvent[] = [];
    registration.onEvent((e) => seen.push(e));
    registration.start();
    await flush();
    expect(sent.map((r) => getHeader(r, 'Expires'))).toEqual(['60', '120']);
    expect(seen).toEqual([{ type: 'registered', expires: 100, status: 200 }]);
    expect(registration.sourceHosts()).toEqual(['203.0.113.5']);
    const first = sent[0]!;
    expect(first.uri).toMatchObject({ host: 'pbx.example.com', port: 5080 });
    expect(getHeader(first, 'To')).toBe('<sip:ext100@pbx.example.com>');
    expect(getHeader(first, 'Contact')).toBe('<sip:ext100@192.0.2.10:5070>;expires=60');
    clock.advance(49_000);
    await flush();
    expect(sent).toHaveLength(2);
    clock.advance(1_000);
    await flush();
    expect(sent).toHaveLength(3);
    expect(getHeader(sent[2]!, 'Call-ID')).toBe(getHeader(first, 'Call-ID'));
    expect(getCSeq(sent[2]!).seq).toBe(getCSeq(first).seq + 2);
    await registration.stop();
    expect(getHeader(sent.at(-1)!, 'Expires')).toBe('0');
    expect(seen.at(-1)).toEqual({ type: 'unregistered' });
    clock.advance(600_000);
    await flush();
    expect(sent).toHaveLength(4);
  });

  it('reports a failure and retries after Retry-After', async () => {
    const clock = new SteppedClock();
    const { sent, stack } = scriptedStack((request, index) =>
      index === 0
        ? createResponse(request, 503, undefined, {
            headers: [{ name: 'Retry-After', value: '20 (maintenance)' }],
          })
        : createResponse(request, 200),
    );
    const registration = new SipRegistration({
      stack,
      clock,
      registrar: 'sip:10.0.0.5',
      user: 'u',
      password: 'p',
      expires: 300,
    });
    const seen: RegistrationEvent[] = [];
    registration.onEvent((e) => seen.push(e));
    registration.start();
    await flush();
    expect(seen).toEqual([{ type: 'failed', status: 503, reason: 'Service Unavailable' }]);
    clock.advance(19_000);
    await flush();
    expect(sent).toHaveLength(1);
    clock.advance(1_000);
    await flush();
    // No Contact expires in the 200: the Expires header is missing too, so the requested 300 s stand.
    expect(seen.at(-1)).toEqual({ type: 'registered', expires: 300, status: 200 });
    await registration.stop();
  });

  it('refuses registrar URIs it cannot use', () => {
    const stack = scriptedStack((r) => createResponse(r, 200)).stack;
    expect(() => new SipRegistration({ stack, registrar: 'tel:+123', user: 'u', password: 'p' })).toThrow(
      /sip: URI/,
    );
    expect(
      () => new SipRegistration({ stack, registrar: 'sip:pbx;transport=sctp', user: 'u', password: 'p' }),
    ).toThrow(/transport/);
  });
});

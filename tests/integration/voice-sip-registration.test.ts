// Registration against a real registrar: Debian kamailio with digest auth (qop=auth). The right password
// registers and the binding is used (an OPTIONS to the extension, sent through kamailio, reaches us); a
// wrong one fails with 401 without looping; the binding is refreshed at half its lifetime; stop()
// unregisters, after which kamailio no longer finds us.
import {
  createRequest,
  createResponse,
  newBranch,
  parseUri,
  type RegistrationEvent,
  SipRegistration,
  type SipResponse,
  SipTransactionLayer,
  SipTransport,
} from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kamailio, startKamailio } from '../support/voice/kamailio.ts';

let kamailio: Kamailio;
const layers: SipTransactionLayer[] = [];

async function layer(): Promise<SipTransactionLayer> {
  const created = new SipTransactionLayer({
    transport: await SipTransport.listen({ host: '127.0.0.1', port: 0 }),
  });
  layers.push(created);
  return created;
}

function events(registration: SipRegistration): RegistrationEvent[] {
  const seen: RegistrationEvent[] = [];
  registration.onEvent((event) => seen.push(event));
  return seen;
}

/** Sends OPTIONS for sip:<user>@registrar through kamailio; its final status (404 when not registered). */
async function probe(from: SipTransactionLayer, user: string): Promise<number> {
  const request = createRequest({
    method: 'OPTIONS',
    uri: parseUri(`sip:${user}@${kamailio.address}`),
    headers: [
      { name: 'Via', value: from.via('UDP', newBranch()) },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:probe@127.0.0.1>;tag=probe' },
      { name: 'To', value: `<sip:${user}@127.0.0.1>` },
      { name: 'Call-ID', value: `probe-${newBranch()}` },
      { name: 'CSeq', value: '1 OPTIONS' },
    ],
  });
  const response = await new Promise<SipResponse>((resolve) =>
    from
      .sendRequest(request, { transport: 'UDP', host: '127.0.0.1', port: kamailio.port })
      .onResponse((r) => r.status >= 200 && resolve(r)),
  );
  return response.status;
}

beforeAll(async () => {
  kamailio = await startKamailio({ users: { zhike: 's3cret', zhiketcp: 'tcp-pw' }, minExpires: 1 });
});

afterAll(async () => {
  for (const created of layers) await created.close();
  await kamailio?.stop();
});

describe('SIP registration at kamailio', () => {
  it('registers with the right password, is reachable through the registrar, refreshes and unregisters', async () => {
    const ours = await layer();
    const reached: string[] = [];
    ours.onRequest((incoming) => {
      reached.push(incoming.request.method);
      incoming.respond(createResponse(incoming.request, 200));
    });
    const registration = new SipRegistration({
      stack: ours,
      registrar: `sip:${kamailio.address}`,
      user: 'zhike',
      password: 's3cret',
      expires: 2,
    });
    const seen = events(registration);
    registration.start();
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toEqual({ type: 'registered', expires: 2, status: 200 });
    expect(registration.sourceHosts()).toEqual(['127.0.0.1']);

    const prober = await layer();
    expect(await probe(prober, 'zhike')).toBe(200);
    expect(reached).toEqual(['OPTIONS']);

    // Granted 2 s, refreshed every second: three more registrations within ~3.5 s, and still reachable
    // after the first lifetime has long passed.
    await expect.poll(() => seen.length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    expect(seen.every((event) => event.type === 'registered')).toBe(true);
    expect(await probe(prober, 'zhike')).toBe(200);

    await registration.stop();
    expect(seen.at(-1)).toEqual({ type: 'unregistered' });
    expect(registration.state).toBe('stopped');
    expect(await probe(prober, 'zhike')).toBe(404);
  });

  it('fails with 401 on a wrong password, once, without retrying the same challenge', async () => {
    const ours = await layer();
    let registers = 0;
    const registration = new SipRegistration({
      stack: {
        sendRequest: (request, destination) => {
          registers++;
          return ours.sendRequest(request, destination);
        },
        localAddress: (transport) => ours.localAddress(transport),
      },
      registrar: `sip:${kamailio.address}`,
      user: 'zhike',
      password: 'wrong',
      expires: 60,
      retryAfterFailureMs: 60_000,
    });
    const seen = events(registration);
    registration.start();
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    expect(seen[0]).toMatchObject({ type: 'failed', status: 401 });
    // The first REGISTER and one digest answer; the second 401 is not answered again.
    expect(registers).toBe(2);
    await registration.stop();
    expect(await probe(await layer(), 'zhike')).toBe(404);
  });

  it('registers over TCP', async () => {
    const ours = await layer();
    const registration = new SipRegistration({
      stack: ours,
      registrar: `sip:${kamailio.address};transport=tcp`,
      user: 'zhiketcp',
      password: 'tcp-pw',
      expires: 30,
    });
    const seen = events(registration);
    registration.start();
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    expect(seen[0]).toMatchObject({ type: 'registered', status: 200 });
    await registration.stop();
    expect(seen.at(-1)).toEqual({ type: 'unregistered' });
  });
});

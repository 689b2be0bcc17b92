// One source floods the SIP port with garbage and well-formed requests; a second source's transaction
// still completes promptly, and the flood is dropped by the per-source guard rather than parsed.
import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { BARESIP_REGISTER } from './fixtures.test-data.ts';
import { createRequest, createResponse, newBranch, type SipResponse } from './message.ts';
import { SipTransactionLayer } from './stack.ts';
import { SipTransport } from './transport.ts';
import { parseUri } from './uri.ts';

const FLOODER = `
const dgram = require('node:dgram');
const [port, register] = [Number(process.argv[1]), JSON.parse(process.argv[2])];
const socket = dgram.createSocket('udp4');
const garbage = Buffer.from('INVITE sip:x SIP/2.0\\r\\nVia: garbage\\r\\n\\r\\n');
let sent = 0;
socket.bind(0, '127.0.0.1', () => {
  process.stdout.write('started\\n');
  const timer = setInterval(() => {
    for (let i = 0; i < 200; i++) {
      const valid = register.replace('z9hG4bK058b2188816278be', 'z9hG4bKflood' + sent);
      socket.send(i % 2 === 0 ? garbage : valid, port, '127.0.0.1');
      sent++;
    }
  }, 10);
  process.on('SIGTERM', () => {
    clearInterval(timer);
    process.stdout.write('sent ' + sent + '\\n', () => process.exit(0));
  });
});
`;

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

it('a flood from one source does not stop another source’s transaction', async () => {
  const server = new SipTransactionLayer({
    transport: await SipTransport.listen({ host: '127.0.0.1', port: 0 }),
  });
  closers.push(() => server.close());
  let answered = 0;
  server.onRequest((incoming) => {
    answered++;
    if (incoming.request.method !== 'ACK') incoming.respond(createResponse(incoming.request, 200));
  });
  const port = server.localAddress('UDP').port;

  // The well-behaved peer has its own address on the loopback network (127.0.0.2).
  const client = new SipTransactionLayer({
    transport: await SipTransport.listen({ host: '127.0.0.2', port: 0 }),
  });
  closers.push(() => client.close());

  // The flooder is its own process, as an attacker would be: it does not share our event loop. It sends
  // 200 datagrams every 10 ms (20 000/s, 100 times the per-source allowance), half garbage, half REGISTERs.
  const flooder = spawn(process.execPath, ['-e', FLOODER, String(port), JSON.stringify(BARESIP_REGISTER)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  closers.push(async () => {
    if (flooder.exitCode === null) flooder.kill('SIGKILL');
  });
  let floodReport = '';
  flooder.stdout.on('data', (chunk: Buffer) => (floodReport += chunk.toString()));
  // 'close', not 'exit': the flooder's last line ("sent N") may still be in the pipe when it exits.
  const flooderDone = new Promise<void>((resolve) => flooder.once('close', () => resolve()));
  await new Promise<void>((resolve) => flooder.stdout.once('data', () => resolve()));
  const floodStarted = performance.now();
  // Let the flood build up before probing: on an idle machine the probes alone take a few milliseconds.
  await new Promise((resolve) => setTimeout(resolve, 300));

  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const options = createRequest({
      method: 'OPTIONS',
      uri: parseUri(`sip:bot@127.0.0.1:${port}`),
      headers: [
        { name: 'Via', value: client.via('UDP', newBranch()) },
        { name: 'From', value: '<sip:probe@127.0.0.2>;tag=p1' },
        { name: 'To', value: '<sip:bot@127.0.0.1>' },
        { name: 'Call-ID', value: `probe-${i}` },
        { name: 'CSeq', value: `${i + 1} OPTIONS` },
        { name: 'Max-Forwards', value: '70' },
      ],
    });
    const response = await new Promise<SipResponse>((resolve) =>
      client.sendRequest(options, { transport: 'UDP', host: '127.0.0.1', port }).onResponse(resolve),
    );
    expect(response.status).toBe(200);
    latencies.push(performance.now() - started);
  }
  // A real flood lasts: on a busy machine the flooder's 10 ms timer fires late, and five quick probes could
  // end it after a couple of thousand datagrams. It runs for 1.5 s at least.
  const floodFor = 1500 - (performance.now() - floodStarted);
  if (floodFor > 0) await new Promise((resolve) => setTimeout(resolve, floodFor));
  flooder.kill('SIGTERM');
  const floodSeconds = (performance.now() - floodStarted) / 1000;
  await flooderDone;
  const floodSent = Number(/sent (\d+)/.exec(floodReport)?.[1] ?? 0);

  const stats = (server as unknown as { options: { transport: SipTransport } }).options.transport.stats();
  console.log(
    `flood: ${floodSent} datagrams sent, ${stats.rateLimited} dropped by the guard, ${stats.malformed} malformed parsed, ` +
      `${answered} requests answered; probe latency ms ${latencies.map((l) => l.toFixed(1)).join(' ')}`,
  );
  expect(floodSent).toBeGreaterThan(2000);
  expect(stats.rateLimited).toBeGreaterThan(0);
  // What the flooder got past the guard is bounded by its bucket (burst 400 + 200/s), whatever it sent.
  const floodParsed = stats.malformed + answered - latencies.length;
  expect(floodParsed).toBeLessThanOrEqual(400 + 200 * (floodSeconds + 1));
  // Each probe completed with 200, never with Timer F's 408. When the flood overruns the kernel's socket
  // buffer (on a loaded 2-core machine it can), the kernel drops datagrams of every source alike and a
  // probe needs a T1 retransmission or two; without that its answer comes in a few milliseconds.
  expect(Math.max(...latencies)).toBeLessThan(5000);
});

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BARESIP_REGISTER } from './fixtures.test-data.ts';
import { SipStreamFramer } from './framing.ts';
import { getTopVia } from './headers.ts';
import {
  createResponse,
  parseMessage,
  type SipMessage,
  type SipRequest,
  serializeMessage,
} from './message.ts';
import { type SipPeer, SipTransport } from './transport.ts';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function listen(
  options: Partial<Parameters<typeof SipTransport.listen>[0]> = {},
): Promise<SipTransport> {
  const transport = await SipTransport.listen({ host: '127.0.0.1', port: 0, ...options });
  open.push(transport);
  return transport;
}

async function udpClient(host = '127.0.0.1'): Promise<UdpSocket & { port: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  open.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return Object.assign(socket, { port: socket.address().port });
}

function nextDatagram(socket: UdpSocket): Promise<Buffer> {
  return new Promise((resolve) => socket.once('message', (bytes) => resolve(bytes)));
}

function nextMessage(transport: SipTransport): Promise<{ message: SipMessage; source: SipPeer }> {
  return new Promise((resolve) => {
    const off = transport.onMessage((message, source) => {
      off();
      resolve({ message, source });
    });
  });
}

/** The captured baresip REGISTER with its Via pointing at a private address, as behind NAT. */
function registerFrom(sentBy: string, branch = 'z9hG4bKnat1'): string {
  return BARESIP_REGISTER.replace(
    '127.0.0.1:46013;branch=z9hG4bK058b2188816278be',
    `${sentBy};branch=${branch}`,
  );
}

describe('SipTransport over UDP', () => {
  it('stamps received and rport, and answers to the address the request came from', async () => {
    const transport = await listen();
    const client = await udpClient();
    const arrived = nextMessage(transport);
    client.send(registerFrom('192.168.1.20:5062'), transport.port, '127.0.0.1');
    const { message, source } = await arrived;
    expect(source).toEqual({ transport: 'UDP', host: '127.0.0.1', port: client.port });
    const via = getTopVia(message);
    expect(via.params).toMatchObject({ received: '127.0.0.1', rport: String(client.port) });
    const reply = nextDatagram(client);
    await transport.sendResponse(createResponse(message as SipRequest, 200), source);
    const response = parseMessage(await reply);
    expect(response.kind === 'response' && response.status).toBe(200);
    expect(getTopVia(response).params.rport).toBe(String(client.port));
  });

  it('answers 400 to a readable request it cannot accept and drops garbage', async () => {
    const transport = await listen();
    const client = await udpClient();
    const reply = nextDatagram(client);
    const bad = registerFrom('127.0.0.1:9').replace('CSeq: 50957 REGISTER', 'CSeq: x REGISTER');
    client.send(bad, transport.port, '127.0.0.1');
    // The unreadable CSeq is left out; the rest lets the peer match the answer to its request.
    const response = (await reply).toString();
    expect(response).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(response).toContain('Warning: 399 zhike "bad-cseq"');
    expect(response).toContain('Call-ID: db374d3f002667e5');
    expect(response).toContain('branch=z9hG4bKnat1');
    expect(response).not.toContain('CSeq');
    client.send(Buffer.from([0, 1, 2, 3, 255]), transport.port, '127.0.0.1');
    client.send('\r\n\r\n', transport.port, '127.0.0.1');
    // A valid message after the garbage still arrives: the garbage was only counted.
    const arrived = nextMessage(transport);
    client.send(registerFrom('127.0.0.1:9', 'z9hG4bKafter'), transport.port, '127.0.0.1');
    await arrived;
    expect(transport.stats()).toMatchObject({ malformed: 2, badRequestsAnswered: 1, received: 1 });
  });

  it('takes UDP and TCP on the same port', async () => {
    const transport = await listen();
    const socket = connect(transport.port, '127.0.0.1');
    open.push({ close: () => socket.destroy() });
    const arrived = nextMessage(transport);
    socket.write(registerFrom('127.0.0.1:9'));
    expect((await arrived).source.transport).toBe('TCP');
  });
});

describe('SipTransport over TCP', () => {
  async function tcpClient(
    port: number,
  ): Promise<{ socket: Socket; messages: SipMessage[]; closed: Promise<void> }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    open.push({ close: () => socket.destroy() });
    const framer = new SipStreamFramer();
    const messages: SipMessage[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const item of framer.push(chunk))
        if (item.kind === 'message') messages.push(parseMessage(item.bytes));
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    return { socket, messages, closed };
  }

  it('frames by Content-Length across chunks and answers on the same connection', async () => {
    const transport = await listen();
    const received: SipMessage[] = [];
    transport.onMessage((message, source) => {
      received.push(message);
      void transport.sendResponse(createResponse(message as SipRequest, 200), source);
    });
    const client = await tcpClient(transport.port);
    const one = registerFrom('127.0.0.1:9', 'z9hG4bKone');
    const two = registerFrom('127.0.0.1:9', 'z9hG4bKtwo');
    // Two messages in one write, then a third split mid-header.
    client.socket.write(one + two);
    const three = registerFrom('127.0.0.1:9', 'z9hG4bKthree');
    client.socket.write(three.slice(0, 40));
    await new Promise((resolve) => setTimeout(resolve, 20));
    client.socket.write(three.slice(40));
    await expect.poll(() => client.messages.length).toBe(3);
    expect(received.map((m) => getTopVia(m).params.branch)).toEqual([
      'z9hG4bKone',
      'z9hG4bKtwo',
      'z9hG4bKthree',
    ]);
  });

  it('closes a stream that cannot be framed', async () => {
    const transport = await listen();
    const client = await tcpClient(transport.port);
    client.socket.write(registerFrom('127.0.0.1:9').replace('Content-Length: 0\r\n', ''));
    await client.closed;
    expect(transport.stats().malformed).toBe(1);
  });

  it('answers CRLF keep-alive pings', async () => {
    const transport = await listen();
    const client = await tcpClient(transport.port);
    const pong = new Promise<Buffer>((resolve) => client.socket.once('data', resolve));
    client.socket.write('\r\n\r\n');
    expect((await pong).toString()).toBe('\r\n');
  });

  it('connects out, reuses the connection and reads responses from it', async () => {
    const transport = await listen();
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      accepted.push(socket);
      const framer = new SipStreamFramer();
      socket.on('data', (chunk: Buffer) => {
        for (const item of framer.push(chunk)) {
          if (item.kind !== 'message') continue;
          socket.write(serializeMessage(createResponse(parseMessage(item.bytes) as SipRequest, 202)));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () => {
        for (const socket of accepted) socket.destroy();
        return new Promise((resolve) => server.close(resolve));
      },
    });
    const port = (server.address() as { port: number }).port;
    const statuses: number[] = [];
    transport.onMessage((m) => m.kind === 'response' && statuses.push(m.status));
    const target: SipPeer = { transport: 'TCP', host: '127.0.0.1', port };
    await Promise.all([
      transport.send(parseMessage(registerFrom('127.0.0.1:9', 'z9hG4bKa')), target),
      transport.send(parseMessage(registerFrom('127.0.0.1:9', 'z9hG4bKb')), target),
    ]);
    await expect.poll(() => statuses).toEqual([202, 202]);
    expect(accepted).toHaveLength(1);
  });

  it('limits connections per source and drops a source holding too many unfinished bytes', async () => {
    const transport = await listen({ maxTcpConnectionsPerSource: 2, guard: { maxPendingBytes: 10_000 } });
    const a = await tcpClient(transport.port);
    await tcpClient(transport.port);
    const third = await tcpClient(transport.port);
    await third.closed;
    expect(transport.stats().tcpConnectionsRefused).toBe(1);
    // A header section that never ends is held until the source's cap, then the connection goes.
    a.socket.write(`REGISTER sip:x SIP/2.0\r\nX: ${'y'.repeat(12_000)}`);
    await a.closed;
  });
});

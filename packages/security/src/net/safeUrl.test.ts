import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedRange } from './addressRanges.ts';
import { ResponseTooLargeError, safeFetch } from './safeFetch.ts';
import { assertSafeUrl, type Resolver, UnsafeUrlError } from './safeUrl.ts';

const fakeDns =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const answers = table[host];
    if (!answers) throw new Error('ENOTFOUND');
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (IPv4 in IPv6)'],
    ['::ffff:7f00:1', 'loopback (IPv4 in IPv6)'],
    ['::ffff:169.254.169.254', 'link-local (IPv4 in IPv6)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (IPv4 in IPv6)'],
    ['2002:0a00:0001::1', 'private (IPv4 in IPv6)'],
    ['fd00:ec2::254', 'private'],
  ])('%s is %s', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '114.114.114.114',
    '2400:3200::1',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(blockedRange(address)).toBeNull();
  });
});

describe('assertSafeUrl', () => {
  const resolver = fakeDns({
    'api.example.com': ['93.184.216.34'],
    'evil.example.com': ['169.254.169.254'],
    'mixed.example.com': ['93.184.216.34', '10.0.0.5'],
    'v6.example.com': ['::1'],
    'llm.lan': ['192.168.1.20'],
    'a.svc.internal': ['10.0.0.9'],
  });

  it('passes public hosts and returns the addresses to pin', async () => {
    const target = await assertSafeUrl('https://api.example.com/v1', { resolver });
    expect(target.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it.each([
    ['http://127.0.0.1/', /loopback/],
    ['http://localhost.localdomain.invalid/', /resolve/],
    ['http://2130706433/', /loopback/],
    ['http://0x7f.1/', /loopback/],
    ['http://[::1]:8080/', /loopback/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://evil.example.com/', /link-local/],
    ['http://mixed.example.com/', /private/],
    ['http://v6.example.com/', /loopback/],
    ['file:///etc/passwd', /scheme/],
    ['gopher://api.example.com/', /scheme/],
    ['ftp://api.example.com/', /scheme/],
    ['https://user:pw@api.example.com/', /credentials/],
    ['not a url', /valid/],
  ])('refuses %s', async (url, reason) => {
    await expect(assertSafeUrl(url, { resolver })).rejects.toThrow(reason);
  });

  it('allowHosts exempts hosts the operator runs on the LAN', async () => {
    await expect(assertSafeUrl('http://llm.lan/v1', { resolver })).rejects.toThrow(UnsafeUrlError);
    await expect(
      assertSafeUrl('http://llm.lan/v1', { resolver, allowHosts: ['llm.lan'] }),
    ).resolves.toBeTruthy();
    await expect(
      assertSafeUrl('http://a.svc.internal/', { resolver, allowHosts: ['*.svc.internal'] }),
    ).resolves.toBeTruthy();
    await expect(
      assertSafeUrl('http://svc.internal.evil/', { resolver, allowHosts: ['*.svc.internal'] }),
    ).rejects.toThrow();
  });
});

describe('safeFetch (against a local server, DNS injected)', () => {
  let server: Server;
  let port = 0;
  const seen: { host?: string; auth?: string; path?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ host: req.headers.host, auth: req.headers.authorization, path: req.url });
      if (req.url === '/hop') {
        res.writeHead(302, { location: `http://api.lan:${port}/final` });
        return res.end();
      }
      if (req.url === '/to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // Both names resolve to loopback and are exempted, so the request reaches the test server.
  const resolver = fakeDns({ 'api.lan': ['127.0.0.1'], 'hooks.lan': ['127.0.0.1'] });
  const allowHosts = ['api.lan', 'hooks.lan'];

  it('connects to the pinned address with the original Host header', async () => {
    const res = await safeFetch(`http://api.lan:${port}/hello`, { resolver, allowHosts });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok /hello');
    expect(seen.at(-1)?.host).toBe(`api.lan:${port}`);
  });

  it('does not follow redirects by default', async () => {
    const res = await safeFetch(`http://hooks.lan:${port}/hop`, { resolver, allowHosts });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/final');
  });

  it('follows when asked, re-checking every hop and dropping credentials across origins', async () => {
    const res = await safeFetch(`http://hooks.lan:${port}/hop`, {
      resolver,
      allowHosts,
      maxRedirects: 3,
      headers: { authorization: 'Bearer secret' },
    });
    expect(await res.text()).toBe('ok /final');
    expect(seen.at(-2)?.auth).toBe('Bearer secret');
    expect(seen.at(-1)?.auth).toBeUndefined();
    await expect(
      safeFetch(`http://hooks.lan:${port}/to-metadata`, { resolver, allowHosts, maxRedirects: 3 }),
    ).rejects.toThrow(/link-local/);
  });

  it('refuses the local server when it is not exempted', async () => {
    await expect(safeFetch(`http://api.lan:${port}/`, { resolver })).rejects.toThrow(UnsafeUrlError);
  });
});

describe('safeFetch response cap', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': '5000' });
        return res.end('x'.repeat(5000));
      }
      // Chunked, no Content-Length: only counting the stream catches it.
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 10; i++) res.write('y'.repeat(1000));
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const allowHosts = ['127.0.0.1'];

  it('refuses a body whose Content-Length is over the cap before reading it', async () => {
    await expect(
      safeFetch(`http://127.0.0.1:${port}/declared`, { allowHosts, maxResponseBytes: 1000 }),
    ).rejects.toThrow(ResponseTooLargeError);
  });

  it('stops a streamed body at the cap', async () => {
    const res = await safeFetch(`http://127.0.0.1:${port}/stream`, { allowHosts, maxResponseBytes: 4000 });
    await expect(res.text()).rejects.toThrow();
  });

  it('reads bodies under the cap whole', async () => {
    const res = await safeFetch(`http://127.0.0.1:${port}/stream`, { allowHosts, maxResponseBytes: 20_000 });
    expect((await res.text()).length).toBe(10_000);
  });

  it('admits a loopback literal only when it is listed', async () => {
    await expect(safeFetch(`http://127.0.0.1:${port}/stream`)).rejects.toThrow(/loopback/);
  });
});

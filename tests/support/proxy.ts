// The production reverse proxy (deploy/nginx/zhike.conf) run for real in front of test server processes:
// the same file, with the upstream addresses, ports and certificate paths of the test put in.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

const repoRoot = new URL('../../', import.meta.url).pathname;

export interface Proxy {
  url: string;
  /** PEM of the self-signed certificate the proxy presents (trust it in clients). */
  ca: string;
  stop(): Promise<void>;
}

export async function startProxy(options: {
  dir: string;
  upstreams: [number, number];
  httpPort: number;
  httpsPort: number;
}): Promise<Proxy> {
  const { dir } = options;
  const certs = join(dir, 'certs');
  mkdirSync(certs, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(certs, 'privkey.pem'),
      '-out',
      join(certs, 'fullchain.pem'),
    ],
    { stdio: 'ignore' },
  );
  const site = readFileSync(join(repoRoot, 'deploy/nginx/zhike.conf'), 'utf8')
    .replace('zhike-1:3000', `127.0.0.1:${options.upstreams[0]}`)
    .replace('zhike-2:3000', `127.0.0.1:${options.upstreams[1]}`)
    .replace(/listen 80;/, `listen 127.0.0.1:${options.httpPort};`)
    .replace(/listen 443 ssl/, `listen 127.0.0.1:${options.httpsPort} ssl`)
    .replaceAll('/etc/nginx/certs', certs);
  if (site.includes('zhike-1') || site.includes('zhike-2') || site.includes('/etc/nginx'))
    throw new Error('deploy/nginx/zhike.conf changed shape: update tests/support/proxy.ts');
  writeFileSync(join(dir, 'site.conf'), site);
  const temp = (name: string) => join(dir, name);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${temp('nginx.pid')};`,
      `error_log ${temp('error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${temp('body')};`,
      `  proxy_temp_path ${temp('proxy')};`,
      `  fastcgi_temp_path ${temp('fastcgi')};`,
      `  uwsgi_temp_path ${temp('uwsgi')};`,
      `  scgi_temp_path ${temp('scgi')};`,
      `  include ${join(dir, 'site.conf')};`,
      '}',
    ].join('\n'),
  );
  // The configuration check nginx itself makes; its message is the test's failure if the file is wrong.
  execFileSync('nginx', ['-t', '-q', '-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'pipe' });
  const child: ChildProcess = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const ca = readFileSync(join(certs, 'fullchain.pem'), 'utf8');
  const url = `https://127.0.0.1:${options.httpsPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await httpsJson(url, ca, 'GET', '/healthz');
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nginx did not answer: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    ca,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGQUIT');
      await once(child, 'exit');
    },
  };
}

/** One HTTPS request trusting `ca`; resolves with the status and parsed JSON body. */
export function httpsJson(
  base: string,
  ca: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${base}${path}`,
      {
        method,
        ca,
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

// Starts Debian kamailio 5.6 as a SIP registrar with digest auth for tests: a generated config (the
// users the test gives, in an htable; no database), a free UDP+TCP port, foreground process with its
// runtime dir in a temp dir; ready once it answers an OPTIONS; stop() kills the pid it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeSipPort } from './ports.js';

export interface KamailioOptions {
  /** user → password; these users may REGISTER (digest, qop=auth) and be called by name. */
  users: Record<string, string>;
  /** Realm in the challenges; 127.0.0.1 (the From domain the clients use) by default. */
  realm?: string;
  /** Shortest registration lifetime granted (kamailio's default is 60 s); refresh tests lower it. */
  minExpires?: number;
}

export interface Kamailio {
  readonly port: number;
  /** host:port for SIP URIs and baresip accounts. */
  readonly address: string;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

const NAME = /^[A-Za-z0-9_.+-]{1,64}$/;
// Passwords land inside a double-quoted kamailio string: keep them to characters that need no escape.
const PASSWORD = /^[A-Za-z0-9_.+!@%^*=-]{1,64}$/;

export function kamailioConfig(port: number, users: Record<string, string>, minExpires?: number): string {
  const entries = Object.entries(users);
  if (entries.length === 0) throw new Error('kamailio needs at least one user');
  for (const [user, password] of entries) {
    if (!NAME.test(user)) throw new Error(`bad SIP user '${user}'`);
    if (!PASSWORD.test(password))
      throw new Error(`password of '${user}' has characters the config cannot hold`);
  }
  const userLines = entries.map(([u, p]) => `\t$sht(users=>${u}) = "${p}";`).join('\n');
  if (minExpires !== undefined && !(Number.isInteger(minExpires) && minExpires >= 1)) {
    throw new Error(`bad minExpires ${minExpires}`);
  }
  const registrarParams =
    minExpires === undefined ? '' : `modparam("registrar", "min_expires", ${minExpires})\n`;
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
listen=udp:127.0.0.1:${port}
listen=tcp:127.0.0.1:${port}

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "htable.so"

modparam("usrloc", "db_mode", 0)
modparam("htable", "htable", "users=>size=4;")
${registrarParams}
event_route[htable:mod-init] {
${userLines}
}

request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (is_method("OPTIONS") && uri==myself && $rU==$null) { sl_send_reply("200", "OK"); exit; }
	if (has_totag()) {
		if (loose_route()) { t_relay(); exit; }
		if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
		sl_send_reply("404", "Not here"); exit;
	}
	if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
	if (is_method("REGISTER")) {
		$var(pw) = $sht(users=>$fU);
		if ($var(pw) == $null || !pv_auth_check("$fd", "$var(pw)", "0", "1")) {
			auth_challenge("$fd", "0");
			exit;
		}
		if (!save("location")) sl_reply_error();
		exit;
	}
	if (is_method("INVITE")) record_route();
	if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
	t_relay();
}
`;
}

/** Sends one OPTIONS to the registrar over UDP and resolves on any SIP response. */
async function optionsPing(port: number, timeoutMs: number): Promise<boolean> {
  const sock = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const local = sock.address().port;
    const tag = randomBytes(6).toString('hex');
    const msg = [
      `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${tag};rport`,
      'Max-Forwards: 70',
      `From: <sip:probe@127.0.0.1>;tag=${tag}`,
      `To: <sip:127.0.0.1:${port}>`,
      `Call-ID: ${tag}@127.0.0.1`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const reply = once(sock, 'message');
    sock.send(msg, port, '127.0.0.1');
    const timer = new Promise<null>((r) => setTimeout(() => r(null), timeoutMs));
    const got = await Promise.race([reply, timer]);
    return got !== null && String((got as [Buffer])[0]).startsWith('SIP/2.0 ');
  } finally {
    sock.close();
  }
}

export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      lastError = e as Error;
      if (!/bind|in use|listen/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function startOnce(opts: KamailioOptions): Promise<Kamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'zhike-kamailio-'));
  const port = await freeSipPort();
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(cfg, kamailioConfig(port, opts.users, opts.minExpires));
  const args = ['-f', cfg, '-P', join(dir, 'kamailio.pid'), '-Y', dir, '-DD', '-E'];
  // As root, drop privileges like a packaged service; as a normal user there is nothing to drop.
  if (process.getuid?.() === 0) args.push('-u', 'nobody', '-g', 'nogroup');
  const child: ChildProcess = spawn('kamailio', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  const cleanup = async () => {
    // -DD keeps kamailio's main process in front; SIGTERM makes it stop its children too.
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      await cleanup();
      throw new Error(`kamailio exited at start:\n${out}`);
    }
    if (await optionsPing(port, 300)) break;
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`kamailio not answering on 127.0.0.1:${port} after 15 s:\n${out}`);
    }
  }
  return { port, address: `127.0.0.1:${port}`, pid: child.pid!, output: () => out, stop: cleanup };
}

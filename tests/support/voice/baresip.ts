// Starts a headless baresip (Debian 1.0.0) as a real third-party SIP client for tests: microphone from a
// WAV (aufile), what it hears recorded (sndfile), driven over ctrl_tcp. Each instance gets its own temp
// config dir and free ports; stop() kills the pid it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BaresipEvent, CtrlTcpClient } from './ctrlTcp.js';
import { freePortBlock, freeTcpPort } from './ports.js';
import { readWav, type Wav } from './wav.js';

export type BaresipAccount =
  /** No registrar: reachable at sip:<user>@127.0.0.1:<sipPort>. */
  | { user: string }
  /** Registers at `registrar` ('127.0.0.1:5060') with digest auth. */
  | { user: string; password: string; registrar: string; transport?: 'udp' | 'tcp'; regintSeconds?: number };

export interface BaresipOptions {
  account: BaresipAccount;
  /** Microphone: an 8 kHz mono S16 WAV (see clips.ts). When it ends, baresip hangs up the call. */
  source: string;
  /** Answer incoming calls at once. */
  autoAnswer?: boolean;
  /** Offered codecs in order; PCMU then PCMA by default. */
  codecs?: Array<'PCMU' | 'PCMA'>;
  /** Log the SIP trace (`-s`) into output(). */
  sipTrace?: boolean;
  /** Label for error messages. */
  name?: string;
}

export interface BaresipRecording {
  /** What baresip heard (decoded), 8 kHz mono. */
  received: string;
  /** What it sent. */
  sent: string | undefined;
}

export interface Baresip {
  readonly name: string;
  readonly pid: number;
  readonly sipPort: number;
  /** Where to call this instance directly: sip:<user>@127.0.0.1:<sipPort>. */
  readonly uri: string;
  readonly ctrl: CtrlTcpClient;
  readonly configDir: string;
  dial(uri: string): Promise<void>;
  /** RFC 4733 DTMF on the current call (ctrl_tcp `sndcode`). */
  sendDtmf(digits: string): Promise<void>;
  /** Switches the microphone of the current call to another WAV (menu `ausrc aufile,<path>`). */
  switchSource(path: string): Promise<void>;
  hangup(): Promise<void>;
  waitFor(type: string | ((e: BaresipEvent) => boolean), timeoutMs?: number): Promise<BaresipEvent>;
  /** The `reginfo` text (account lines with their registration state). */
  reginfo(): Promise<string>;
  /** Resolves once the account is registered; rejects with the registrar's answer (e.g. 401) or on timeout. */
  waitRegistered(timeoutMs?: number): Promise<void>;
  /** Recordings of finished (and current) calls, oldest first. */
  recordings(): BaresipRecording[];
  /** The last call's received audio. */
  lastReceived(): Wav;
  output(): string;
  stop(): Promise<void>;
}

function accountLine(o: BaresipOptions): string {
  const codecs = `audio_codecs=${(o.codecs ?? ['PCMU', 'PCMA']).join(',')}`;
  const answer = o.autoAnswer ? ';answermode=auto' : '';
  const a = o.account;
  if (!/^[A-Za-z0-9_.+-]+$/.test(a.user)) throw new Error(`bad SIP user '${a.user}'`);
  if ('registrar' in a) {
    const transport = a.transport ?? 'udp';
    return `<sip:${a.user}@${a.registrar};transport=${transport}>;auth_pass=${a.password};regint=${a.regintSeconds ?? 60};${codecs}${answer}`;
  }
  return `<sip:${a.user}@127.0.0.1>;regint=0;${codecs}${answer}`;
}

function configText(o: {
  sipPort: number;
  ctrlPort: number;
  rtpLow: number;
  rtpHigh: number;
  source: string;
  sndPath: string;
}) {
  return [
    'poll_method\t\tepoll',
    `sip_listen\t\t127.0.0.1:${o.sipPort}`,
    // Without it the SDP advertises the host's external address even when SIP listens on loopback.
    'net_interface\t\t127.0.0.1',
    'audio_player\t\talsa,null',
    `audio_source\t\taufile,${o.source}`,
    'audio_alert\t\talsa,null',
    'audio_srate\t\t8000',
    'audio_channels\t\t1',
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module\t\t\talsa.so',
    'module\t\t\tsndfile.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    'module_app\t\tctrl_tcp.so',
    `ctrl_tcp_listen\t\t127.0.0.1:${o.ctrlPort}`,
    `snd_path\t\t${o.sndPath}`,
    `rtp_ports\t\t${o.rtpLow}-${o.rtpHigh}`,
    '',
  ].join('\n');
}

/** Starts baresip; retries with other ports when another process took them between probe and bind. */
export async function startBaresip(opts: BaresipOptions): Promise<Baresip> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      lastError = e as Error;
      if (!/bind|in use|could not|listen/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function startOnce(opts: BaresipOptions): Promise<Baresip> {
  const name = opts.name ?? opts.account.user;
  const configDir = mkdtempSync(join(tmpdir(), `zhike-baresip-${name}-`));
  const sndPath = join(configDir, 'rec');
  mkdirSync(sndPath);
  const block = await freePortBlock(20);
  const ctrlPort = await freeTcpPort();
  writeFileSync(
    join(configDir, 'config'),
    configText({
      sipPort: block.sip,
      ctrlPort,
      rtpLow: block.rtpLow,
      rtpHigh: block.rtpHigh,
      source: opts.source,
      sndPath,
    }),
  );
  writeFileSync(join(configDir, 'accounts'), `${accountLine(opts)}\n`);
  writeFileSync(join(configDir, 'contacts'), '');

  const args = ['-f', configDir];
  if (opts.sipTrace) args.push('-s');
  const child: ChildProcess = spawn('baresip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const kill = async () => {
    if (!exited) child.kill('SIGKILL');
    await exit;
    rmSync(configDir, { recursive: true, force: true });
  };

  let ctrl: CtrlTcpClient | undefined;
  const deadline = Date.now() + 10_000;
  while (!ctrl) {
    if (exited) {
      await kill();
      throw new Error(`baresip ${name} exited at start (could not listen?):\n${out}`);
    }
    try {
      ctrl = await CtrlTcpClient.connect(ctrlPort, '127.0.0.1', 1000);
    } catch {
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`baresip ${name}: ctrl_tcp not listening after 10 s:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // baresip logs and carries on when SIP cannot bind; such an instance is useless, so treat it as a
  // failed start (startBaresip retries with other ports).
  if (/could not|address already in use/i.test(out) && /sip|listen|bind/i.test(out)) {
    ctrl.close();
    await kill();
    throw new Error(`baresip ${name} could not listen:\n${out}`);
  }
  const client = ctrl;

  const recordings = (): BaresipRecording[] => {
    const files = readdirSync(sndPath).sort(
      (a, b) => statSync(join(sndPath, a)).mtimeMs - statSync(join(sndPath, b)).mtimeMs || a.localeCompare(b),
    );
    return files
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => {
        const enc = f.replace(/-dec\.wav$/, '-enc.wav');
        return { received: join(sndPath, f), sent: files.includes(enc) ? join(sndPath, enc) : undefined };
      });
  };

  const uri = `sip:${opts.account.user}@127.0.0.1:${block.sip}`;
  const must = async (command: string, params = '') => {
    const r = await client.command(command, params);
    if (!r.ok) throw new Error(`baresip ${name}: '${command} ${params}' failed: ${r.data}`);
    return r.data;
  };

  return {
    name,
    pid: child.pid!,
    sipPort: block.sip,
    uri,
    ctrl: client,
    configDir,
    async dial(target) {
      await must('dial', target);
    },
    async sendDtmf(digits) {
      if (!/^[0-9*#A-D]+$/.test(digits)) throw new Error(`bad DTMF digits '${digits}'`);
      await must('sndcode', digits);
    },
    async switchSource(path) {
      if (/[,\s]/.test(path)) throw new Error(`baresip cannot take the path '${path}'`);
      await must('ausrc', `aufile,${path}`);
    },
    async hangup() {
      await must('hangup');
    },
    waitFor: (type, timeoutMs) => client.waitFor(type, timeoutMs),
    reginfo: () => must('reginfo'),
    async waitRegistered(timeoutMs = 10_000) {
      // REGISTER_OK/FAIL events are often sent before ctrl_tcp has a client, so poll reginfo instead.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const state = registrationState(await must('reginfo'));
        if (state === 'OK') return;
        if (state === 'ERR') {
          // The log line with the registrar's answer may trail the state change by a moment.
          const reasonOf = () => /reg: \S+: (\d{3} [^(\n]*)/.exec(stripAnsi(out))?.[1]?.trim();
          for (let i = 0; i < 20 && !reasonOf(); i++) await new Promise((r) => setTimeout(r, 50));
          const reason = reasonOf() ?? `no reason logged:\n${out}`;
          throw new Error(`baresip ${name}: registration failed: ${reason}`);
        }
        if (Date.now() > deadline)
          throw new Error(`baresip ${name}: not registered after ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    recordings,
    lastReceived() {
      const all = recordings();
      if (all.length === 0) throw new Error(`baresip ${name} recorded no call`);
      return readWav(all[all.length - 1]!.received);
    },
    output: () => out,
    async stop() {
      client.close();
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(timer);
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: baresip colours its console output
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** The state column of the first account in `reginfo` ('OK', 'ERR', or '' while it is still trying). */
export function registrationState(reginfo: string): 'OK' | 'ERR' | '' {
  const line = stripAnsi(reginfo)
    .split('\n')
    .find((l) => l.startsWith('> '));
  const m = line ? /^>\s+\S+\s+(OK|ERR)\b/.exec(line) : null;
  return (m?.[1] as 'OK' | 'ERR' | undefined) ?? '';
}

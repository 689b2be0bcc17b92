// Runs a short-lived command to completion (espeak-ng, sox) with its output captured, failing loudly.
import { spawn } from 'node:child_process';

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { stdin?: Buffer; timeoutMs?: number } = {}) {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}: ${err.trim()}`));
    });
    child.stdin.on('error', () => {
      // The command may exit before reading all of stdin; its exit code tells what happened.
    });
    child.stdin.end(opts.stdin);
  });
}

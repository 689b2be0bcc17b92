// zhike voice test refuses what it cannot do with a clear message before it opens any socket.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

const run = async (argv: string[], env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(String(chunk));
        done();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout, stderr };
};

describe('zhike voice test', () => {
  it('needs a line to call', async () => {
    const result = await run(['voice', 'test']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ZHIKE_SIP_PORT is not set');
  });
  it('refuses keys that are not DTMF and a silly listening time', async () => {
    expect(
      (await run(['voice', 'test', '--to', 'sip:a@127.0.0.1:5060', '--digits', '12x'])).stderr,
    ).toContain('--digits takes');
    const listen = await run(['voice', 'test', '--to', 'sip:a@127.0.0.1:5060', '--listen', '0']);
    expect(listen.code).toBe(2);
    expect(listen.stderr).toContain('--listen takes');
  });
  it('names the subcommand it knows', async () => {
    const result = await run(['voice', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('zhike voice test');
  });
});

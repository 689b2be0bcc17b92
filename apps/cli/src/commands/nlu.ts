// zhike nlu eval …: delegates to @zhike/nlu's evaluation command with the arguments after `nlu eval`.
import type { Io } from '../main.ts';

/** Callable and stream-like at once, so either io shape the NLU command expects works. */
type Sink = ((s: string) => void) & { write(s: string): boolean };
type RunEval = (argv: string[], io: { stdout: Sink; stderr: Sink }) => Promise<number> | number;

const sink = (stream: NodeJS.WritableStream): Sink =>
  Object.assign((s: string) => void stream.write(s), { write: (s: string) => stream.write(s) });

export async function nluEval(args: string[], io: Io): Promise<number> {
  const nlu = (await import('@zhike/nlu')) as Record<string, unknown>;
  const run = nlu.runEvalCommand as RunEval | undefined;
  if (typeof run !== 'function') {
    io.stderr.write('This build of @zhike/nlu has no evaluation command yet.\n');
    return 1;
  }
  return await run(args, { stdout: sink(io.stdout), stderr: sink(io.stderr) });
}

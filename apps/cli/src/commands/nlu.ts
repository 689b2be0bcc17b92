// zhike nlu eval …: delegates to @zhike/nlu's evaluation command.
import type { Io } from '../main.ts';

type RunEval = (
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
) => Promise<number> | number;

export async function nluEval(args: string[], io: Io): Promise<number> {
  const nlu = (await import('@zhike/nlu')) as Record<string, unknown>;
  const run = nlu.runEvalCommand as RunEval | undefined;
  if (typeof run !== 'function') {
    io.stderr.write('This build of @zhike/nlu has no evaluation command yet.\n');
    return 1;
  }
  return await run(args, { stdout: io.stdout, stderr: io.stderr });
}

// How backup, restore and the database move report a failure: one line naming the command and the cause,
// exit status 1 — never a stack trace (LOG_LEVEL=debug adds it, for a bug report).
import type { Io } from '../main.ts';

export function commandFailed(io: Io, command: string, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`zhike ${command}: ${message}\n`);
  if (io.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return 1;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export const fileCount = (n: number): string => `${n} encrypted file${n === 1 ? '' : 's'}`;

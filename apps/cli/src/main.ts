// zhike <command>: serve, migrate, backup, restore, workspace create, api-key create, keys rotate, audit verify,
// nlu eval, voice test, demo seed, help.
import { type Config, ConfigError, loadConfig } from '@zhike/server';
import { apiKeyCreate } from './commands/apiKey.ts';
import { auditVerify } from './commands/audit.ts';
import { backup } from './commands/backup.ts';
import { demoSeed, demoUsage } from './commands/demo.ts';
import { keysRotate } from './commands/keys.ts';
import { migrate } from './commands/migrate.ts';
import { nluEval } from './commands/nlu.ts';
import { restore } from './commands/restore.ts';
import { serve } from './commands/serve.ts';
import { voiceTest, voiceTestUsage } from './commands/voiceTest.ts';
import { workspaceCreate, workspaceUsage } from './commands/workspace.ts';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

export const usage = `智客 Zhike — self-hosted AI customer service

Usage:
  zhike serve                                   Start the server (migrations run automatically)
  zhike migrate                                 Apply database migrations and exit
  zhike migrate --from sqlite:PATH [--to postgres://…] [--force]
                                                Copy a SQLite shop into PostgreSQL (--to defaults to
                                                DATABASE_URL; the target must be empty unless --force)
  zhike backup [--out FILE] [--include-master-key]
                                                Database, encrypted files and a manifest in one archive
                                                (safe while the server runs; master key left out)
  zhike restore FILE [--force]                  Put a backup back (server stopped; --force replaces a
                                                database that holds data), then migrate forward
  zhike workspace create --name <name> --slug <slug> --owner-email <email> [--owner-password <pw>]
                                                A new shop and its owner (password generated if left
                                                out); the owner's first sign-in opens the setup wizard
  zhike api-key create --workspace <slug> [--name <name>]
                                                Create an API key; the key is the last line printed
  zhike keys rotate                             New master key; re-wraps every data key (no downtime)
  zhike audit verify                            Check the audit log's hash chain (exit 1 if tampered)
  zhike nlu eval [args…]                        Evaluate the NLU models (see zhike nlu eval --help)
  zhike voice test [--to URI] [--say TEXT] [--digits KEYS] [--workspace SLUG]
                                                Call a voice line over SIP and print the latencies
  zhike demo seed [--months 3] [--per-day 40] [--workspace demo] [--seed N]
                                                Simulate a realistic history (conversations, hand-offs,
                                                agents' replies, ratings) through the real bot, ending now
  zhike help                                    Show this help

Configuration comes from environment variables (PORT, DATABASE_URL, REDIS_URL, ZHIKE_*); see README.
`;

export function configOrExit(io: Io): Config | null {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(io);
    case 'migrate':
      return migrate(rest, io);
    case 'backup':
      return backup(rest, io);
    case 'restore':
      return restore(rest, io);
    case 'demo':
      if (rest[0] === 'seed') return demoSeed(rest.slice(1), io);
      io.stderr.write(demoUsage);
      return 2;
    case 'workspace':
      if (rest[0] === 'create') return workspaceCreate(rest.slice(1), io);
      io.stderr.write(workspaceUsage);
      return 2;
    case 'voice':
      if (rest[0] === 'test') return voiceTest(rest.slice(1), io);
      io.stderr.write(voiceTestUsage);
      return 2;
    case 'api-key':
      if (rest[0] === 'create') return apiKeyCreate(rest.slice(1), io);
      io.stderr.write('Usage: zhike api-key create --workspace <slug> [--name <name>]\n');
      return 2;
    case 'keys':
      if (rest[0] === 'rotate') return keysRotate(io);
      io.stderr.write('Usage: zhike keys rotate\n');
      return 2;
    case 'audit':
      if (rest[0] === 'verify') return auditVerify(io);
      io.stderr.write('Usage: zhike audit verify\n');
      return 2;
    case 'nlu':
      if (rest[0] === 'eval') return nluEval(rest.slice(1), io);
      io.stderr.write('Usage: zhike nlu eval [args…]\n');
      return 2;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(usage);
      return 0;
    default:
      io.stderr.write(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

// zhike api-key create --workspace <slug> [--name <name>]: the new key is printed as the last line.
import { parseArgs } from 'node:util';
import { createApiKey, createApp } from '@zhike/server';
import { configOrExit, type Io } from '../main.ts';

export async function apiKeyCreate(args: string[], io: Io): Promise<number> {
  let values: { workspace?: string; name?: string };
  try {
    ({ values } = parseArgs({ args, options: { workspace: { type: 'string' }, name: { type: 'string' } } }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (!values.workspace) {
    io.stderr.write('Usage: zhike api-key create --workspace <slug> [--name <name>]\n');
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 1;
  // Quiet logs and no worker: this process only writes one row.
  const app = await createApp({ ...config, logLevel: 'error' }, { startWorker: false });
  try {
    const workspace = await app.zhike.db.directory.workspaceBySlug(values.workspace);
    if (!workspace) {
      io.stderr.write(`No workspace with slug "${values.workspace}"\n`);
      return 1;
    }
    const name = values.name ?? `CLI ${new Date().toISOString().slice(0, 10)}`;
    const created = await createApiKey(app.zhike, workspace.id, name);
    if (app.zhike.seed.generatedPassword) {
      io.stdout.write(
        `Owner ${app.zhike.seed.ownerEmail} was created with password: ${app.zhike.seed.generatedPassword}\n`,
      );
    }
    io.stdout.write(
      `API key "${name}" for workspace ${workspace.slug} (shown only once):\n${created.secret}\n`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

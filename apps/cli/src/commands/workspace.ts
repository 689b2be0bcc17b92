// zhike workspace create --name <name> --slug <slug> --owner-email <email> [--owner-password <pw>]
// A new shop on this installation; its owner's first sign-in opens the setup wizard.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApp, createWorkspace } from '@zhike/server';
import { configOrExit, type Io } from '../main.ts';

export const workspaceUsage =
  'Usage: zhike workspace create --name <name> --slug <slug> --owner-email <email> [--owner-password <password>] [--owner-name <name>] [--locale zh-CN|en-US]\n';

export async function workspaceCreate(args: string[], io: Io): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        slug: { type: 'string' },
        'owner-email': { type: 'string' },
        'owner-password': { type: 'string' },
        'owner-name': { type: 'string' },
        locale: { type: 'string' },
      },
    }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${workspaceUsage}`);
    return 2;
  }
  const { name, slug, locale } = values;
  const ownerEmail = values['owner-email'];
  if (!name || !slug || !ownerEmail || (locale !== undefined && locale !== 'zh-CN' && locale !== 'en-US')) {
    io.stderr.write(workspaceUsage);
    return 2;
  }
  // A password typed on the command line stays in the shell history; without one, a strong one is made.
  const generated = values['owner-password'] === undefined ? randomBytes(12).toString('base64url') : null;
  const ownerPassword = values['owner-password'] ?? generated ?? '';
  const config = configOrExit(io);
  if (!config) return 1;
  const app = await createApp({ ...config, logLevel: 'error' }, { startWorker: false });
  try {
    const result = await createWorkspace(app.zhike, {
      name,
      slug,
      ownerEmail,
      ownerPassword,
      ...(values['owner-name'] ? { ownerName: values['owner-name'] } : {}),
      ...(locale ? { locale } : {}),
    });
    if (!result.ok) {
      io.stderr.write(`${result.message}\n`);
      return result.reason === 'invalid' ? 2 : 1;
    }
    io.stdout.write(
      `Workspace "${result.workspace.name}" (${result.workspace.slug}) created.\n` +
        `Sign in at ${config.publicUrl} as ${ownerEmail.trim().toLowerCase()}; the setup wizard opens first.\n`,
    );
    if (generated) io.stdout.write(`Owner password (shown only once):\n${generated}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

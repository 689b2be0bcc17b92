// zhike serve: start the server, print first-start credentials once, shut down gracefully on signals.
import { createApp } from '@zhike/server';
import { configOrExit, type Io } from '../main.ts';

export function credentialsBox(email: string, password: string, url: string): string {
  const lines = [
    '智客 Zhike — first start: owner account created',
    '',
    `  Console:  ${url}`,
    `  Email:    ${email}`,
    `  Password: ${password}`,
    '',
    'This password is shown only once: keep it in a password manager.',
  ];
  const width =
    Math.max(...lines.map((l) => [...l].length + [...l].filter((c) => c.charCodeAt(0) > 0x2e80).length)) + 2;
  const pad = (l: string) =>
    l + ' '.repeat(width - 2 - [...l].length - [...l].filter((c) => c.charCodeAt(0) > 0x2e80).length);
  return [`╔${'═'.repeat(width)}╗`, ...lines.map((l) => `║ ${pad(l)} ║`), `╚${'═'.repeat(width)}╝`, ''].join(
    '\n',
  );
}

export async function serve(io: Io): Promise<number> {
  const config = configOrExit(io);
  if (!config) return 1;
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config);
  } catch (error) {
    io.stderr.write(`Zhike could not start: ${(error as Error).message}\n`);
    return 1;
  }

  let stopping: Promise<void> | null = null;
  const stop = (signal: string) => {
    if (stopping) return;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    stopping = app.close().then(
      () => {
        app.log.info('stopped');
        process.exit(0);
      },
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  const port = app.server.address();
  const actualPort = typeof port === 'object' && port ? port.port : config.port;
  app.log.info({ address, port: actualPort }, 'listening');
  const { seed } = app.zhike;
  const consoleUrl = config.port === 0 ? `http://localhost:${actualPort}` : config.publicUrl;
  if (seed.generatedPassword)
    io.stdout.write(credentialsBox(seed.ownerEmail, seed.generatedPassword, consoleUrl));
  io.stdout.write(`Zhike listening on http://localhost:${actualPort} (${address})\n`);
  return await new Promise<number>(() => {}); // runs until a signal arrives
}

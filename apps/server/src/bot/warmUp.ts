// Compiles every workspace's bot in the background once the server listens.
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { TemplateBot } from './templateBot.ts';

export interface BotWarmUp {
  start(): void;
  /** Stops before the next workspace and waits for the compile under way, if any. */
  stop(): Promise<void>;
}

/**
 * Compiles every workspace's bot once the server listens, so no visitor waits ~1 s for the first reply.
 * Workspaces go one at a time, each compile in slices with turns of the event loop between them
 * (`compileBotSliced`), so requests and job leases go on meanwhile.
 */
export function botWarmUp(db: Database, bot: TemplateBot, log: Logger): BotWarmUp {
  let stopped = false;
  let done: Promise<void> | null = null;
  const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  const run = async () => {
    await yieldToLoop(); // let listen() return and the first requests in before any compile
    if (stopped) return;
    const started = Date.now();
    const workspaces = await db.directory.botWorkspaces();
    for (const { id, locale } of workspaces) {
      if (stopped) return;
      await bot
        .warm(id, locale)
        .catch((err: unknown) => log.warn({ err, workspaceId: id }, 'bot warm-up failed'));
      await yieldToLoop();
    }
    log.info({ workspaces: workspaces.length, ms: Date.now() - started }, 'bots warmed');
  };
  return {
    start() {
      done ??= run().catch((err: unknown) => {
        if (!stopped) log.warn({ err }, 'bot warm-up failed');
      });
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

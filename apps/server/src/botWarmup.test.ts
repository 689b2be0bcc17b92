// The server compiles every workspace's bot after it starts listening, so the first customer message
// finds it ready (no ~1 s wait, no event-loop stall) and health checks are never held back by it.
import { join } from 'node:path';
import { compileBot } from '@zhike/bot';
import { afterEach, describe, expect, it } from 'vitest';
import { createTemplateBot } from './bot/templateBot.ts';
import { createTestApp, eventually, type TestApp } from './testing.ts';

describe('bot warm-up', () => {
  let open: TestApp | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  async function start() {
    let compiled = 0;
    open = await createTestApp('sqlite', {
      compileBot: (options) => {
        compiled++;
        return compileBot(options);
      },
    });
    return { t: open, compiled: () => compiled };
  }

  it('compiles the bots after listen, so the first message does not compile', async () => {
    const { t, compiled } = await start();
    expect(compiled()).toBe(0); // building the app compiles nothing
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await eventually(() => compiled() === 1);

    const workspaceId = await t.demoWorkspaceId();
    const answer = await t.app.zhike.bot.decide({
      workspaceId,
      conversationId: 'warm-c',
      customerId: 'nobody',
      messageId: 'warm-1',
      locale: 'zh-CN',
      text: '你们几点关门',
      now: new Date(),
      state: null,
    });
    expect(answer.replies.join('')).toContain('9:00–22:00');
    expect(compiled()).toBe(1);
  });

  it('a message while its workspace compiles awaits that compile instead of starting another', async () => {
    const { t } = await start();
    let compiled = 0;
    const bot = createTemplateBot({
      db: t.app.zhike.db,
      templatesDir: join(t.app.zhike.repoRoot, 'templates'),
      compile: (options) => {
        compiled++;
        return compileBot(options);
      },
    });
    const workspaceId = await t.demoWorkspaceId();
    const [, answer] = await Promise.all([
      bot.warm(workspaceId, 'zh-CN'),
      bot.decide({
        workspaceId,
        conversationId: 'during-c',
        customerId: 'nobody',
        messageId: 'during-1',
        locale: 'zh-CN',
        text: '你们几点关门',
        now: new Date(),
        state: null,
      }),
    ]);
    expect(answer.replies.join('')).toContain('9:00–22:00');
    expect(compiled).toBe(1);
  });

  it('closing the app stops the warm-up', async () => {
    const { t } = await start();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    await t.close(); // must not hang, nor fail on a database closed under the warm-up
    open = undefined;
  });
});

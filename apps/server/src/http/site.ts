// The browser-facing files: the console SPA at /, the widget bundle at /widget.js, the demo storefront at
// /demo. Built by `npm run build`; until then these answer a 503 problem that says so.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppContext } from '../context.ts';
import { DEMO_SLUG } from '../seed.ts';
import { HttpProblem, sendProblem } from './problems.ts';
import { problems } from './schemas.ts';
import { consolePolicy, demoPolicy } from './securityHeaders.ts';

const Html = Type.String({ description: 'text/html' });
const Script = Type.String({ description: 'application/javascript' });
const notBuilt = (what: string) =>
  new HttpProblem('unavailable', `${what} is not built yet: run \`npm run build\``);

export const siteRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const consoleDist = join(ctx.repoRoot, 'apps/console/dist');
    const widgetFile = join(ctx.repoRoot, 'apps/widget/dist/widget.js');
    const demoFile = join(ctx.repoRoot, 'apps/widget/demo/index.html');
    const consoleIndex = join(consoleDist, 'index.html');
    const consoleCsp = consolePolicy(ctx.config.publicUrl);

    if (existsSync(consoleDist)) {
      await app.register(fastifyStatic, {
        root: consoleDist,
        wildcard: true,
        index: false,
        schemaHide: true,
        cacheControl: true,
      });
    }

    app.get(
      '/',
      { schema: { tags: ['site'], summary: 'The agent console', response: { 200: Html, ...problems } } },
      async (_request, reply) => {
        if (!existsSync(consoleIndex)) throw notBuilt('The console');
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', consoleCsp)
          .send(await readFile(consoleIndex, 'utf8'));
      },
    );

    app.get(
      '/widget.js',
      {
        schema: {
          tags: ['site'],
          summary: 'The embeddable chat widget',
          response: { 200: Script, ...problems },
        },
      },
      async (_request, reply) => {
        if (!existsSync(widgetFile)) throw notBuilt('The widget');
        return reply
          .type('application/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('access-control-allow-origin', '*')
          .send(await readFile(widgetFile, 'utf8'));
      },
    );

    app.get(
      '/demo',
      {
        schema: {
          tags: ['site'],
          summary: 'Demo storefront with the widget embedded',
          response: { 200: Html, ...problems },
        },
      },
      async (_request, reply) => {
        if (!existsSync(demoFile)) throw notBuilt('The demo page');
        const workspace = await ctx.db.directory.workspaceBySlug(DEMO_SLUG);
        const inbox =
          workspace &&
          (await ctx.db.forWorkspace(workspace.id).inboxes.list()).find((i) => i.channel === 'widget');
        if (!inbox?.widgetToken)
          throw new HttpProblem('not_found', 'The demo workspace is not set up (ZHIKE_DEMO=0?)');
        const html = (await readFile(demoFile, 'utf8')).replaceAll('{{WIDGET_TOKEN}}', inbox.widgetToken);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', demoPolicy(ctx.config.publicUrl, html))
          .send(html);
      },
    );

    // Client-side routes of the console fall back to its index.html; API paths get a 404 problem.
    app.setNotFoundHandler(async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const wantsPage =
        (request.method === 'GET' || request.method === 'HEAD') &&
        !path.startsWith('/api/') &&
        !/\.[a-z0-9]+$/i.test(path);
      if (wantsPage && existsSync(consoleIndex)) {
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', consoleCsp)
          .send(await readFile(consoleIndex, 'utf8'));
      }
      return sendProblem(reply, 'not_found', `No route for ${request.method} ${path}`);
    });
  };

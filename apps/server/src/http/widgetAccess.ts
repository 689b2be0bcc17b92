// Who may talk to a widget inbox: the public token finds the inbox, the browser's Origin must be allowed,
// and the visitor token (HMAC-signed visitor id) proves a returning visitor.
import type { Inbox } from '@zhike/core';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';

/** Same-origin requests come from pages this server serves (e.g. /demo) and are always allowed. */
export function originAllowed(
  allowedOrigins: readonly string[],
  request: FastifyRequest,
  publicUrl: string,
): boolean {
  const origin = request.headers.origin;
  if (!origin || allowedOrigins.length === 0) return true;
  if (allowedOrigins.includes(origin)) return true;
  if (origin === new URL(publicUrl).origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export async function widgetInbox(ctx: AppContext, request: FastifyRequest, token: string): Promise<Inbox> {
  const inbox = await ctx.db.directory.inboxByWidgetToken(token);
  if (inbox?.channel !== 'widget') throw new HttpProblem('not_found', 'Unknown widget inbox');
  if (!originAllowed(inbox.allowedOrigins, request, ctx.config.publicUrl)) {
    throw new HttpProblem('origin_not_allowed', 'Add this site to the inbox’s allowed origins');
  }
  return inbox;
}

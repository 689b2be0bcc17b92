// What the workspace's bot calls a target (an intent's label, a FAQ's question, an article passage's
// heading) at the moment it is shown. Turns and hand-off cards store the name they had when recorded; read
// through this, a label added or renamed since reaches old rows too.
import type { AppContext } from '../context.ts';

/** The bot's current name for a target; null when it no longer has it (the stored name stands then). */
export type TargetNames = (target: string) => string | null;

export async function targetNamesOf(
  ctx: Pick<AppContext, 'db' | 'bot'>,
  workspaceId: string,
): Promise<TargetNames> {
  const workspace = await ctx.db.forWorkspace(workspaceId).workspace.get();
  // The bot service caches compiled bots, so this is a lookup once the workspace's bot is warm.
  const compiled = await ctx.bot.compiled(workspaceId, workspace.locale);
  return (target) => compiled?.bot.describe(target)?.title ?? null;
}

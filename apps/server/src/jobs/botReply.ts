// Handler for `bot.reply`: the bot's durable turn after a customer message.
import { type JobPayloads, UniqueViolation } from '@zhike/core';
import type { ClaimedJob } from '@zhike/db';
import type { Commands } from '../commands.ts';

export function botReplyHandler(commands: Commands) {
  return async (job: ClaimedJob) => {
    const payload = job.payload as unknown as JobPayloads['bot.reply'];
    try {
      await commands.runBotTurn(payload.workspaceId, payload);
    } catch (error) {
      // A previous attempt already stored this turn's answer (crash after commit): nothing left to do.
      if (error instanceof UniqueViolation) return;
      throw error;
    }
  };
}

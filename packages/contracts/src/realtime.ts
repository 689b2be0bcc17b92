// The console's live feed: WS /api/v1/console/ws (session cookie). Server → client frames only,
// already filtered to the signed-in user's workspace.
import type { Conversation, Message } from './conversations.ts';

export type ConsoleServerFrame =
  | { type: 'ready'; userId: string }
  | { type: 'message.created'; conversationId: string; message: Message }
  | { type: 'conversation.updated'; conversation: Conversation }
  | { type: 'pong' };

export type ConsoleClientFrame = { type: 'ping' };

// The console's live feed connection: parses frames, pings to keep proxies from idling it out,
// and reconnects with backoff. Owned by RealtimeProvider; nothing here is module-level state.
import type { ConsoleClientFrame, ConsoleServerFrame } from '@zhike/contracts';
import { CONSOLE_CLOSE } from '@zhike/contracts/protocol';
import { watchAgentActivity } from './activity.ts';
import { reconnectDelay } from './backoff.ts';

export type FeedStatus = 'connecting' | 'live' | 'reconnecting';

export interface ConsoleFeedOptions {
  url: string;
  onFrame: (frame: ConsoleServerFrame) => void;
  onStatus: (status: FeedStatus) => void;
  /** Called on every `ready` after the first: frames may have been missed while offline. */
  onResync: () => void;
  /** The server closed the socket because the session ended (CONSOLE_CLOSE.sessionEnded): no retry. */
  onSessionEnded?: () => void;
  pingIntervalMs?: number;
  /** Where the agent's clicks and keys happen (the window); each open socket reports them as activity. */
  activityTarget?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Filled with a function that sends a frame on the open socket (false while it is not open). */
  sender?: { current: ((frame: ConsoleClientFrame) => boolean) | null };
}

// A record, not a list: a frame type added to the contract fails to compile here until it is known,
// instead of being dropped silently (as the queue frames once were).
const KNOWN_FRAMES: Record<ConsoleServerFrame['type'], true> = {
  ready: true,
  'message.created': true,
  'message.updated': true,
  'conversation.updated': true,
  'routing.notified': true,
  offer: true,
  'offer.withdrawn': true,
  'queue.pickup_missed': true,
  'agent.status': true,
  'ticket.sla': true,
  'ticket.mentioned': true,
  suggestions: true,
  'call.offered': true,
  'call.state': true,
  'call.answer': true,
  'call.transcript': true,
  'call.suggestions': true,
  'call.error': true,
  'call.progress': true,
  pong: true,
};
const FRAME_TYPES = new Set<string>(Object.keys(KNOWN_FRAMES));

export function parseFrame(data: unknown): ConsoleServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (
      typeof value === 'object' &&
      value !== null &&
      FRAME_TYPES.has((value as { type?: string }).type ?? '')
    ) {
      return value as ConsoleServerFrame;
    }
  } catch {
    // A frame we cannot read is dropped; the next resync repairs any gap.
  }
  return null;
}

export function consoleFeedUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/console/ws`;
}

export function connectConsoleFeed(options: ConsoleFeedOptions): () => void {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let readyCount = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let stopActivity: (() => void) | undefined;

  const send = (frame: ConsoleClientFrame): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };
  if (options.sender) options.sender.current = send;

  const open = () => {
    options.onStatus(readyCount === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(options.url);
    socket = ws;
    ws.onmessage = (event) => {
      const frame = parseFrame(event.data);
      if (!frame) return;
      if (frame.type === 'ready') {
        attempt = 0;
        options.onStatus('live');
        if (readyCount++ > 0) options.onResync();
      }
      options.onFrame(frame);
    };
    ws.onopen = () => {
      pingTimer = setInterval(() => send({ type: 'ping' }), options.pingIntervalMs ?? 25_000);
      if (options.activityTarget)
        stopActivity = watchAgentActivity(options.activityTarget, () => send({ type: 'activity' }));
    };
    ws.onclose = (event) => {
      clearInterval(pingTimer);
      stopActivity?.();
      stopActivity = undefined;
      if (closed) return;
      if (event.code === CONSOLE_CLOSE.sessionEnded) return options.onSessionEnded?.();
      options.onStatus('reconnecting');
      retryTimer = setTimeout(open, reconnectDelay(attempt++));
    };
    // Errors are always followed by close, which schedules the retry.
    ws.onerror = () => {};
  };

  open();
  return () => {
    if (options.sender?.current === send) options.sender.current = null;
    closed = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    stopActivity?.();
    socket?.close();
  };
}

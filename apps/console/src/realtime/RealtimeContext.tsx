// Shares one console feed connection with every component that wants live frames.
import type { ConsoleClientFrame, ConsoleServerFrame } from '@zhike/contracts';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useSession } from '../session/SessionContext.tsx';
import { connectConsoleFeed, consoleFeedUrl, type FeedStatus } from './consoleSocket.ts';

type FrameListener = (frame: ConsoleServerFrame) => void;

type RealtimeValue = {
  status: FeedStatus;
  /** Bumped after a reconnect; data loaded before it may be stale. */
  generation: number;
  subscribe: (listener: FrameListener) => () => void;
  /** Sends a frame on the feed's socket; false when it is not connected right now. */
  sendFrame: (frame: ConsoleClientFrame) => boolean;
};

const RealtimeContext = createContext<RealtimeValue | null>(null);

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<FrameListener>());
  const [status, setStatus] = useState<FeedStatus>('connecting');
  const [generation, setGeneration] = useState(0);
  const { sessionEnded } = useSession();
  const sender = useRef<((frame: ConsoleClientFrame) => boolean) | null>(null);

  useEffect(
    () =>
      connectConsoleFeed({
        url: consoleFeedUrl(window.location),
        onStatus: setStatus,
        onResync: () => setGeneration((g) => g + 1),
        onSessionEnded: sessionEnded,
        activityTarget: window,
        sender,
        onFrame: (frame) => {
          for (const listener of listeners.current) listener(frame);
        },
      }),
    [sessionEnded],
  );

  const subscribe = useCallback((listener: FrameListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const sendFrame = useCallback((frame: ConsoleClientFrame) => sender.current?.(frame) ?? false, []);
  const value = useMemo<RealtimeValue>(
    () => ({ status, generation, subscribe, sendFrame }),
    [status, generation, subscribe, sendFrame],
  );
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

function useRealtime(): RealtimeValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('useRealtime outside RealtimeProvider');
  return value;
}

export function useFeedStatus(): { status: FeedStatus; generation: number } {
  const { status, generation } = useRealtime();
  return { status, generation };
}

/** Calls the latest `onFrame` for every live frame, without resubscribing on each render. */
export function useConsoleFrames(onFrame: FrameListener): void {
  const { subscribe } = useRealtime();
  const latest = useRef(onFrame);
  latest.current = onFrame;
  useEffect(() => subscribe((frame) => latest.current(frame)), [subscribe]);
}

/** Sends frames (the softphone's call controls) on the shared console socket. */
export function useConsoleSend(): (frame: ConsoleClientFrame) => boolean {
  return useRealtime().sendFrame;
}

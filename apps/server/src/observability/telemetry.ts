// The port through which the server's parts report what operators watch (job runs, NLU time, open
// sockets, provider failures, received messages). The parts see only this interface; the composition root
// hands them the real one (Prometheus instruments, OpenTelemetry spans) or leaves the no-op default, so
// nothing here knows about registries, exporters or HTTP.
import type { ChannelType } from '@zhike/core';

export type SocketKind = 'widget' | 'console';

/** How one run of a job ended: finished, failed and scheduled again, or given up for good. */
export type JobOutcome = 'done' | 'retry' | 'failed';

/** turn: one bot turn (understanding and the dialogue step); analyse: understanding alone; compile: training. */
export type NluOperation = 'turn' | 'analyse' | 'compile';

/**
 * Why an outside service failed: refused (it answered no for good), timeout, or error (network, HTTP,
 * an unreadable answer). LLM calls report their own codes (http, provider, network, bad_response…).
 */
export type ProviderErrorKind = string;

export interface Telemetry {
  /**
   * Runs one claimed job: times it and counts how it ended. `run` answers null when the job turned out
   * to be another worker's (its lease was lost): that run is not counted.
   */
  job(name: string, run: () => Promise<JobOutcome | null>): Promise<void>;
  /** Times one NLU operation of the bot. */
  nlu<T>(operation: NluOperation, run: () => Promise<T>): Promise<T>;
  /** A WebSocket session began; the returned function ends it (call it once, on close). */
  socketOpened(kind: SocketKind): () => void;
  /** `provider`: a channel adapter's registry id, or `llm`. */
  providerError(provider: string, kind: ProviderErrorKind): void;
  /** A customer message was stored (not a resent duplicate), on this process. */
  messageReceived(channel: ChannelType): void;
}

/** Reports nothing: the default of every part, so tests and tools need not build instruments. */
export const noTelemetry: Telemetry = {
  async job(_name, run) {
    await run();
  },
  nlu: (_operation, run) => run(),
  socketOpened: () => () => {},
  providerError: () => {},
  messageReceived: () => {},
};

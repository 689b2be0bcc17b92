// The agent assist corpus: resolved retail conversations the history is built from, and the held-out
// replay of customer messages with the reply an agent actually sent. Both hand-written in zh-CN.
import { readFileSync } from 'node:fs';

export interface HistoryConversation {
  id: string;
  /** The customer's name (some replies name them); null when the shop never learned it. */
  name: string | null;
  /** Survey score 1–5, null when the customer did not answer. */
  csat: number | null;
  /** Resolved, then the customer came back (its replies count only if it was rated well). */
  reopened?: boolean;
  /** [customer message, agent reply] in order. */
  turns: [string, string][];
}

export interface ReplayPair {
  id: string;
  text: string;
  /** What the agent actually sent. */
  reply: string;
}

export const HISTORY_PATH = new URL('./history.zh-CN.jsonl', import.meta.url).pathname;
export const REPLAY_PATH = new URL('./replay.zh-CN.jsonl', import.meta.url).pathname;
/** The tuning set: ranking changes are tried here, never on the replay. */
export const DEV_PATH = new URL('./dev.zh-CN.jsonl', import.meta.url).pathname;
/** The second tuning set, written after the first had been tuned on, to catch what that overfitted. */
export const DEV2_PATH = new URL('./dev2.zh-CN.jsonl', import.meta.url).pathname;

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch (error) {
        throw new Error(`${path}:${i + 1}: ${(error as Error).message}`);
      }
    });
}

export const loadHistory = (): HistoryConversation[] => readJsonl<HistoryConversation>(HISTORY_PATH);
export const loadReplay = (path = REPLAY_PATH): ReplayPair[] => readJsonl<ReplayPair>(path);

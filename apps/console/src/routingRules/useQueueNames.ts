// The workspace's queues by id (name and key), for the rule editor's picker and the routing card.
import { useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';

export interface QueueName {
  id: string;
  key: string;
  name: string;
}

/** `refresh`: loads again when it changes (queues appear with the bot's first compile). */
export function useQueueNames(refresh?: unknown): QueueName[] {
  const { api } = useSignedIn();
  const [queues, setQueues] = useState<QueueName[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` is the reload trigger itself.
  useEffect(() => {
    const controller = new AbortController();
    // Without the list the picker offers the template keys, which the server resolves.
    api.listRoutingQueues(controller.signal).then(
      (r) => setQueues(r.queues.map((q) => ({ id: q.id, key: q.key, name: q.name }))),
      () => undefined,
    );
    return () => controller.abort();
  }, [api, refresh]);
  return queues;
}

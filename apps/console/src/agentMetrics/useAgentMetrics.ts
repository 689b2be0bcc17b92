// Loads the agent metrics of a date range (the server's default range when none is picked).
import type { AgentMetrics } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { DayRange } from '../botAnalytics/useBotAnalytics.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useAgentMetrics(range: DayRange | null) {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [metrics, setMetrics] = useState<AgentMetrics | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    // `version` is read so a reload() re-runs this effect.
    void version;
    const controller = new AbortController();
    setLoading(true);
    api.getAgentMetrics(range ?? {}, controller.signal).then(
      (m) => {
        setMetrics(m);
        setLoading(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoading(false);
        notifyError(error);
      },
    );
    return () => controller.abort();
  }, [api, notifyError, range, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { metrics, loading, reload };
}

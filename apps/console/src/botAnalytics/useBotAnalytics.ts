// Loads the metrics and the unanswered clusters of a date range together; reload after a change.
import type { BotAnalytics, UnansweredClusters } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export interface DayRange {
  from: string;
  to: string;
}

/** `reveal`: questions with phone numbers and emails unmasked (the server checks and audits it). */
export function useBotAnalytics(range: DayRange | null, reveal: boolean) {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [metrics, setMetrics] = useState<BotAnalytics | null>(null);
  const [unanswered, setUnanswered] = useState<UnansweredClusters | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    // `version` is read so a reload() re-runs this effect.
    void version;
    const controller = new AbortController();
    const query = range ?? {};
    setLoading(true);
    // Each answer shows as soon as it comes: a slow or failed metrics read must not keep the unanswered
    // list (which the owner just changed) stale, nor the other way round.
    const failed = (error: unknown) => {
      if (controller.signal.aborted) return;
      notifyError(error);
    };
    const metricsRead = api.getBotAnalytics(query, controller.signal).then(setMetrics, failed);
    const unansweredRead = api
      .listUnanswered({ ...query, limit: 100, ...(reveal ? { reveal } : {}) }, controller.signal)
      .then(setUnanswered, failed);
    void Promise.all([metricsRead, unansweredRead]).then(() => {
      if (!controller.signal.aborted) setLoading(false);
    });
    return () => controller.abort();
  }, [api, notifyError, range, reveal, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { metrics, unanswered, loading, reload };
}

// Loads the topics and the emotion trend of a date range together (the server computes the period once
// for both); reload re-reads them.
import type { EmotionTrend, TopicReport } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { DayRange } from '../botAnalytics/useBotAnalytics.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useTopics(range: DayRange | null, interval: 'day' | 'week') {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [topics, setTopics] = useState<TopicReport | null>(null);
  const [emotion, setEmotion] = useState<EmotionTrend | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    // `version` is read so a reload() re-runs this effect.
    void version;
    const controller = new AbortController();
    const query = range ?? {};
    setLoading(true);
    const failed = (error: unknown) => {
      if (!controller.signal.aborted) notifyError(error);
    };
    const reads = [
      api.getTopics({ ...query, limit: 30 }, controller.signal).then(setTopics, failed),
      api.getEmotion({ ...query, interval }, controller.signal).then(setEmotion, failed),
    ];
    void Promise.all(reads).then(() => {
      if (!controller.signal.aborted) setLoading(false);
    });
    return () => controller.abort();
  }, [api, notifyError, range, interval, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { topics, emotion, loading, reload };
}

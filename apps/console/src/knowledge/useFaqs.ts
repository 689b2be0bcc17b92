// The FAQ table's data: search and tag filter on the server, reload after every change.
import type { KnowledgeFaq } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useFaqs(filter: { q: string; tag: string | null }) {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [faqs, setFaqs] = useState<KnowledgeFaq[] | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const load = useCallback(
    (signal?: AbortSignal) =>
      api
        .listFaqs(
          { ...(filter.q.trim() ? { q: filter.q.trim() } : {}), ...(filter.tag ? { tag: filter.tag } : {}) },
          signal,
        )
        .then(
          (r) => {
            setFaqs(r.faqs);
            setTags(r.tags);
          },
          (error: unknown) => notifyError(error),
        ),
    [api, notifyError, filter.q, filter.tag],
  );
  const reload = useCallback(() => void load(), [load]);

  useEffect(() => {
    const controller = new AbortController();
    // A short pause so typing in the search box sends one request, not one per key.
    const timer = setTimeout(() => void load(controller.signal), 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [load]);

  return { faqs, tags, reload };
}

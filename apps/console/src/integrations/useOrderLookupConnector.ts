// Loads, saves and test-runs the workspace's order-lookup connector.
import type { ConnectorTestResult, OrderLookupConnector, OrderLookupConnectorBody } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useOrderLookupConnector() {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  /** undefined while loading; null when none is saved yet. */
  const [connector, setConnector] = useState<OrderLookupConnector | null | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ConnectorTestResult | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.getOrderLookupConnector().then(
      (r) => !cancelled && setConnector(r.connector),
      (error: unknown) => {
        if (cancelled) return;
        setConnector(null);
        notifyError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, notifyError]);

  /** Resolves to the saved connector; rejects with the ApiError so the form can mark its fields. */
  const save = useCallback(
    async (body: OrderLookupConnectorBody): Promise<OrderLookupConnector | null> => {
      setSaving(true);
      try {
        const saved = (await api.saveOrderLookupConnector(body)).connector;
        setConnector(saved);
        return saved;
      } finally {
        setSaving(false);
      }
    },
    [api],
  );

  const test = useCallback(
    async (orderNumber: string) => {
      setTesting(true);
      setResult(null);
      try {
        setResult(await api.testOrderLookupConnector({ orderNumber }));
      } catch (error) {
        notifyError(error);
      } finally {
        setTesting(false);
      }
    },
    [api, notifyError],
  );

  return { connector, save, saving, test, testing, result };
}

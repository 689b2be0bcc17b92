import type { ApiKey, CreatedApiKey } from '@zhike/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useApiKeys() {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.listApiKeys().then(
      (list) => !cancelled && setKeys(list.apiKeys),
      (error: unknown) => {
        if (cancelled) return;
        setKeys([]);
        notifyError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, notifyError]);

  const create = useCallback(
    async (name: string): Promise<CreatedApiKey | null> => {
      try {
        const created = await api.createApiKey(name);
        setKeys((list) => [created.apiKey, ...(list ?? []).filter((k) => k.id !== created.apiKey.id)]);
        return created;
      } catch (error) {
        notifyError(error);
        return null;
      }
    },
    [api, notifyError],
  );

  const revoke = useCallback(
    async (id: string): Promise<boolean> => {
      try {
        await api.revokeApiKey(id);
        setKeys((list) => list?.filter((k) => k.id !== id) ?? null);
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [api, notifyError],
  );

  return { keys, create, revoke };
}

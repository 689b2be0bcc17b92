import type { User } from '@zhike/contracts';
import { useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

/** The workspace's users, for assignment; loaded when first needed. */
export function useUsers(enabled: boolean): User[] | null {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [users, setUsers] = useState<User[] | null>(null);
  useEffect(() => {
    if (!enabled || users) return;
    let cancelled = false;
    api.listUsers().then(
      (list) => !cancelled && setUsers(list.users),
      (error: unknown) => !cancelled && notifyError(error),
    );
    return () => {
      cancelled = true;
    };
  }, [api, enabled, notifyError, users]);
  return users;
}

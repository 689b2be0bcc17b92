import { App } from 'antd';
import { useCallback } from 'react';
import { describeError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';

/** Shows an API failure to the user in their language; the server's problem detail wins when present. */
export function useNotifyError(): (error: unknown) => void {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (error: unknown) => {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      // An expired session is announced once by the session provider.
      if (error instanceof Error && 'code' in error && error.code === 'unauthenticated') return;
      message.error(describeError(error, t));
    },
    [message, t],
  );
}

// The dialogue view and its saves: every save sends the whole overrides document with the version it was
// based on; a 409 (someone saved meanwhile) reloads the latest rather than overwriting it.
import type { DialogueOverrides, DialogueView } from '@zhike/contracts';
import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, type FieldError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export type DialogueState =
  | { phase: 'loading' }
  | { phase: 'failed'; notConfigured: boolean }
  | { phase: 'ready'; view: DialogueView };

/** The result of a save: ok, or the problems to show beside the form (null = already announced). */
export type SaveOutcome = { ok: true } | { ok: false; problems: readonly FieldError[] | null };

export function useDialogue() {
  const { api } = useSignedIn();
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [state, setState] = useState<DialogueState>({ phase: 'loading' });
  const [generation, setGeneration] = useState(0);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api.getDialogue(signal).then(
        (view) => setState({ phase: 'ready', view }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setState({
            phase: 'failed',
            notConfigured: error instanceof ApiError && error.code === 'conflict',
          });
        },
      ),
    [api],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const settle = useCallback(
    async (run: () => Promise<DialogueView>, done: (view: DialogueView) => string): Promise<SaveOutcome> => {
      try {
        const view = await run();
        setState({ phase: 'ready', view });
        setGeneration((n) => n + 1);
        message.success(done(view));
        return { ok: true };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'conflict') {
          message.warning(t('dialogue.conflict'));
          await load();
          return { ok: false, problems: null };
        }
        if (error instanceof ApiError && error.code === 'validation_failed' && error.fieldErrors.length > 0)
          return { ok: false, problems: error.fieldErrors };
        notifyError(error);
        return { ok: false, problems: null };
      }
    },
    [load, message, notifyError, t],
  );

  const save = useCallback(
    (overrides: DialogueOverrides) => {
      if (state.phase !== 'ready') return Promise.resolve<SaveOutcome>({ ok: false, problems: null });
      return settle(
        () => api.saveDialogue({ baseVersion: state.view.version, overrides }),
        (view) => t('dialogue.saved', { version: view.version }),
      );
    },
    [api, settle, state, t],
  );

  const restore = useCallback(
    (id: string, from: number) =>
      settle(
        () => api.restoreDialogueVersion(id),
        (view) => t('dialogue.versions.restored', { from, version: view.version }),
      ),
    [api, settle, t],
  );

  /** Bumped after every save or restore, so the versions list reloads. */
  return { state, save, restore, generation };
}

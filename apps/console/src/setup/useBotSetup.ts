// The template catalogue and the workspace's bot settings, loaded together for the wizard and the page.
import type { BotSettingsView, TemplateSummary } from '@zhike/contracts';
import { useEffect, useState } from 'react';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export type BotSetupData =
  | { phase: 'loading' }
  | { phase: 'failed' }
  | { phase: 'ready'; templates: TemplateSummary[]; settings: BotSettingsView };

export function useBotSetup(): [BotSetupData, (settings: BotSettingsView) => void] {
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [data, setData] = useState<BotSetupData>({ phase: 'loading' });
  useEffect(() => {
    let cancelled = false;
    Promise.all([api.listTemplates(), api.getBotSettings()]).then(
      ([list, settings]) => !cancelled && setData({ phase: 'ready', templates: list.templates, settings }),
      (error: unknown) => {
        if (cancelled) return;
        setData({ phase: 'failed' });
        notifyError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, notifyError]);
  const replace = (settings: BotSettingsView) =>
    setData((d) => (d.phase === 'ready' ? { ...d, settings } : d));
  return [data, replace];
}

// The conversation header's live-translation switch: on by default when the customer writes another
// language (and the workspace has a provider); an agent may switch it either way for this conversation.
import { TranslationOutlined } from '@ant-design/icons';
import type { ConversationTranslation } from '@zhike/contracts';
import { Space, Switch, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { languageLabel } from './languageLabel.ts';

type Props = {
  conversationId: string;
  /** The conversation's last change: the customer's language may be known by now. */
  updatedAt: string;
};

export function TranslationSwitch({ conversationId, updatedAt }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [state, setState] = useState<ConversationTranslation | null>(null);
  const [busy, setBusy] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: updatedAt is a deliberate reload trigger
  useEffect(() => {
    const controller = new AbortController();
    api.getConversationTranslation(conversationId, controller.signal).then(setState, (error: unknown) => {
      if (!controller.signal.aborted) notifyError(error);
    });
    return () => controller.abort();
  }, [api, conversationId, notifyError, updatedAt]);

  if (!state) return null;
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    try {
      setState(await api.setConversationTranslation(conversationId, { enabled }));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  const direction = t('translation.direction', {
    from: languageLabel(state.customerLanguage, t),
    to: languageLabel(state.agentLanguage, t),
  });
  return (
    <Tooltip title={state.available ? direction : t('translation.switchUnavailable')}>
      <Space size={4} className="zk-translation-switch" data-testid="translation-switch">
        <TranslationOutlined aria-hidden />
        <span>{t('translation.switch')}</span>
        <Switch
          size="small"
          checked={state.enabled}
          disabled={!state.available}
          loading={busy}
          onChange={toggle}
          aria-label={t('translation.switch')}
          data-testid="translation-toggle"
        />
        {state.enabled && <span className="zk-translation-direction">{direction}</span>}
      </Space>
    </Tooltip>
  );
}

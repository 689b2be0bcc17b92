import type { Inbox, UpdateInboxBody } from '@zhike/contracts';
import { App } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

export function useSaveInbox(inbox: Inbox, onSaved: (inbox: Inbox) => void) {
  const { api } = useSignedIn();
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [saving, setSaving] = useState(false);
  const save = async (body: UpdateInboxBody) => {
    setSaving(true);
    try {
      onSaved(await api.updateInbox(inbox.id, body));
      message.success(t('channels.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return { save, saving };
}

// The status actions a campaign allows now (start a draft, pause or resume, cancel).
import type { OutreachCampaignView } from '@zhike/contracts';
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import type { OutreachAction } from './endpoints.ts';

const allowed: Record<OutreachCampaignView['status'], OutreachAction[]> = {
  draft: ['start', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
};

type Props = { campaign: OutreachCampaignView; onChanged: (next: OutreachCampaignView) => void };

export function OutreachActions({ campaign, onChanged }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState<OutreachAction | null>(null);
  const run = async (action: OutreachAction) => {
    setBusy(action);
    try {
      onChanged((await api.outreachAction(campaign.id, action)).campaign);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size={4}>
      {allowed[campaign.status].map((action) => (
        <Button
          key={action}
          size="small"
          danger={action === 'cancel'}
          loading={busy === action}
          onClick={() => run(action)}
          data-testid={`outreach-${action}`}
        >
          {t(`outreach.action.${action}`)}
        </Button>
      ))}
    </Space>
  );
}

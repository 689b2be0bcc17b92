// The status buttons of one campaign (start, pause, resume, cancel with confirmation), shown to
// managers only. A refused action (no voice line can dial: 409) is handed to the page to show in full.
import type { CampaignView } from '@zhike/contracts';
import { Button, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import type { CampaignAction } from './endpoints.ts';

type Props = {
  campaign: CampaignView;
  onChanged: (campaign: CampaignView) => void;
  onFailed: (error: unknown) => void;
  size?: 'small' | 'middle';
};

export function CampaignActions({ campaign, onChanged, onFailed, size = 'small' }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [busy, setBusy] = useState<CampaignAction | null>(null);
  const run = async (action: CampaignAction) => {
    setBusy(action);
    try {
      onChanged((await api.campaignAction(campaign.id, action)).campaign);
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(null);
    }
  };
  const { status } = campaign;
  const open = status === 'draft' || status === 'running' || status === 'paused';
  if (!open) return null;
  // Buttons never bubble a click to the row (which opens the campaign).
  return (
    <Space size={4} onClick={(e) => e.stopPropagation()}>
      {(status === 'draft' || status === 'paused') && (
        <Button
          size={size}
          type="primary"
          loading={busy === 'start'}
          onClick={() => void run('start')}
          data-testid="campaign-start"
        >
          {status === 'draft' ? t('campaigns.action.start') : t('campaigns.action.resume')}
        </Button>
      )}
      {status === 'running' && (
        <Button
          size={size}
          loading={busy === 'pause'}
          onClick={() => void run('pause')}
          data-testid="campaign-pause"
        >
          {t('campaigns.action.pause')}
        </Button>
      )}
      <Popconfirm
        title={t('campaigns.action.cancelConfirm')}
        okText={t('campaigns.action.cancelOk')}
        cancelText={t('campaigns.action.cancelKeep')}
        okButtonProps={{ danger: true }}
        onConfirm={() => run('cancel')}
      >
        <Button size={size} danger loading={busy === 'cancel'} data-testid="campaign-cancel">
          {t('campaigns.action.cancel')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

// #/settings/security: the signed-in user's two-step verification, sessions and password.
import { Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { PasswordCard } from './PasswordCard.tsx';
import { SessionsCard } from './SessionsCard.tsx';
import { TwoFactorCard } from './TwoFactorCard.tsx';

export function SecurityPage() {
  const { t } = useI18n();
  // A password change signs other sessions out: the list reloads.
  const [generation, setGeneration] = useState(0);
  return (
    <div className="zk-page" data-testid="security-page">
      <Typography.Title level={4}>{t('security.title')}</Typography.Title>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <TwoFactorCard />
        <SessionsCard key={generation} />
        <PasswordCard onChanged={() => setGeneration((g) => g + 1)} />
      </Space>
    </div>
  );
}

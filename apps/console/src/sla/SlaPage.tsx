// #/settings/sla: the SLA report, the SLA policies and the business calendar, one tab each.
import { Tabs, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { SlaCalendarTab } from './SlaCalendarTab.tsx';
import { SlaPoliciesTab } from './SlaPoliciesTab.tsx';
import { SlaReportTab } from './SlaReportTab.tsx';

export function SlaPage() {
  const { t } = useI18n();
  return (
    <div className="zk-page" data-testid="sla-page">
      <Typography.Title level={3}>{t('sla.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('sla.intro')}</Typography.Paragraph>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'report', label: t('sla.tab.report'), children: <SlaReportTab /> },
          { key: 'policies', label: t('sla.tab.policies'), children: <SlaPoliciesTab /> },
          { key: 'calendar', label: t('sla.tab.calendar'), children: <SlaCalendarTab /> },
        ]}
      />
    </div>
  );
}

// Step 1: one card per industry template; choosing one moves on.
import { CheckCircleFilled } from '@ant-design/icons';
import type { Locale, TemplateSummary } from '@zhike/contracts';
import { Card, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { IndustryIcon } from './IndustryIcon.tsx';
import { templateDescription, templateName } from './templates.ts';

type Props = { templates: TemplateSummary[]; selected: string | null; onChoose: (id: string) => void };

export function IndustryStep({ templates, selected, onChoose }: Props) {
  const { t, locale } = useI18n();
  const ui: Locale = locale;
  return (
    <section>
      <Typography.Title level={4}>{t('setup.industry.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('setup.industry.help')}</Typography.Paragraph>
      <div className="zk-setup-industries">
        {templates.map((template) => (
          <Card
            key={template.id}
            hoverable
            className={`zk-setup-industry${selected === template.id ? ' zk-setup-industry-selected' : ''}`}
            onClick={() => onChoose(template.id)}
            data-testid={`setup-industry-${template.id}`}
            aria-pressed={selected === template.id}
          >
            <div className="zk-setup-industry-head">
              <span className="zk-setup-industry-icon">
                <IndustryIcon id={template.id} />
              </span>
              <Typography.Text strong>{templateName(template, ui)}</Typography.Text>
              {selected === template.id && (
                <CheckCircleFilled
                  className="zk-setup-industry-check"
                  aria-label={t('setup.industry.selected')}
                />
              )}
            </div>
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} className="zk-setup-industry-text">
              {templateDescription(template, ui)}
            </Typography.Paragraph>
            <Typography.Text type="secondary" className="zk-setup-industry-counts">
              {t('setup.industry.counts', { faqs: template.faqCount, intents: template.intentCount })}
            </Typography.Text>
          </Card>
        ))}
      </div>
    </section>
  );
}

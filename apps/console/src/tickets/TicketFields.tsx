// A ticket's custom fields (the workspace's own, by key) and what the bot's form collected (personal
// values arrive masked).
import { Descriptions, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

type Props = {
  customFields: Readonly<Record<string, string | number>>;
  formFields: Readonly<Record<string, string>>;
};

/** `warranty_until` → `warranty until`: keys are lower-case with underscores. */
const keyLabel = (key: string) => key.replace(/_/g, ' ');

export function TicketFields({ customFields, formFields }: Props) {
  const { t } = useI18n();
  const custom = Object.entries(customFields);
  const form = Object.entries(formFields);
  if (custom.length === 0 && form.length === 0) return null;
  return (
    <>
      {custom.length > 0 && (
        <div data-testid="ticket-custom-fields">
          <Typography.Text strong>{t('tickets.detail.customFields')}</Typography.Text>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            {custom.map(([key, value]) => (
              <Descriptions.Item key={key} label={keyLabel(key)}>
                {String(value)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </div>
      )}
      {form.length > 0 && (
        <div data-testid="ticket-form-fields">
          <Typography.Text strong>{t('tickets.detail.formFields')}</Typography.Text>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            {form.map(([key, value]) => (
              <Descriptions.Item key={key} label={keyLabel(key)}>
                {value}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </div>
      )}
    </>
  );
}

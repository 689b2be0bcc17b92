// Opening days and times inside an antd Form (fields `hours.preset`, `hours.open`, `hours.close`).
import type { Locale } from '@zhike/contracts';
import { Form, Input, Segmented, Space, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { type HoursForm, type HoursPreset, hoursText, normaliseClock } from './hours.ts';

const presets: HoursPreset[] = ['everyday', 'weekdays', 'monToSat'];

export function HoursFields({ botLocale }: { botLocale: Locale }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const hours = Form.useWatch<HoursForm | undefined>('hours', form);
  const open = hours ? normaliseClock(hours.open) : null;
  const close = hours ? normaliseClock(hours.close, true) : null;
  const clockRule = (closing: boolean) => ({
    validator: async (_: unknown, value: string | undefined) => {
      if (normaliseClock(value ?? '', closing) === null) throw new Error(t('setup.hours.invalid'));
    },
  });
  return (
    <>
      <Form.Item name={['hours', 'preset']} label={t('setup.hours.preset')}>
        <Segmented<HoursPreset>
          options={presets.map((p) => ({ value: p, label: t(`setup.hours.${p}`) }))}
          data-testid="setup-hours-preset"
        />
      </Form.Item>
      <Space align="start" wrap>
        <Form.Item name={['hours', 'open']} label={t('setup.hours.open')} rules={[clockRule(false)]}>
          <Input placeholder="09:00" className="zk-setup-time" data-testid="setup-hours-open" />
        </Form.Item>
        <Form.Item
          name={['hours', 'close']}
          label={t('setup.hours.close')}
          dependencies={[['hours', 'open']]}
          rules={[
            clockRule(true),
            ({ getFieldValue }) => ({
              validator: async (_: unknown, value: string | undefined) => {
                const from = normaliseClock(String(getFieldValue(['hours', 'open']) ?? ''));
                if (from !== null && from === normaliseClock(value ?? '', true))
                  throw new Error(t('setup.hours.same'));
              },
            }),
          ]}
        >
          <Input placeholder="21:00" className="zk-setup-time" data-testid="setup-hours-close" />
        </Form.Item>
      </Space>
      {hours && open && close && (
        <Typography.Paragraph type="secondary" data-testid="setup-hours-preview">
          {t('setup.hours.preview', { text: hoursText({ preset: hours.preset, open, close }, botLocale) })}
        </Typography.Paragraph>
      )}
    </>
  );
}

/** The form's hours with the times written as the server expects them. */
export function readHours(hours: HoursForm): HoursForm {
  return {
    preset: hours.preset,
    open: normaliseClock(hours.open) ?? hours.open,
    close: normaliseClock(hours.close, true) ?? hours.close,
  };
}

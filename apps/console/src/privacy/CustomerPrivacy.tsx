// The customer panel's privacy block: marketing consent per purpose (recorded, with history), and for
// owners and admins the PIPL actions — export everything as JSON, erase after typing a confirm word.
import type { ConsentList, ConsentPurpose, ConsentStatus } from '@zhike/contracts';
import { App, Button, Input, Modal, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import './privacy.css';

const PURPOSES: ConsentPurpose[] = ['marketing_sms', 'marketing_email', 'marketing_wechat', 'marketing_call'];

type Props = { customerId: string; onErased?: () => void };

export function CustomerPrivacy({ customerId, onErased }: Props) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [consents, setConsents] = useState<ConsentList | null>(null);
  const [saving, setSaving] = useState<ConsentPurpose | null>(null);
  const [exporting, setExporting] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const word = t('privacy.erase.word');

  useEffect(() => {
    const controller = new AbortController();
    setConsents(null);
    api.getConsents(customerId, controller.signal).then(setConsents, notifyError);
    return () => controller.abort();
  }, [api, customerId, notifyError]);

  const record = async (purpose: ConsentPurpose, status: ConsentStatus) => {
    setSaving(purpose);
    try {
      setConsents(await api.putConsent(customerId, { purpose, status }));
      message.success(t('privacy.consent.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(null);
    }
  };

  const exportData = async () => {
    setExporting(true);
    try {
      const data = await api.exportCustomer(customerId);
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `customer-${customerId}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      message.success(t('privacy.exported'));
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(false);
    }
  };

  const erase = async () => {
    setErasing(true);
    try {
      const result = await api.eraseCustomer(customerId, locale === 'zh-CN' ? '删除' : 'ERASE');
      const rows = Object.values(result.deleted).reduce((n, v) => n + v, 0);
      message.success(t('privacy.erased', { rows, files: result.filesRemoved }));
      setConfirmOpen(false);
      onErased?.();
    } catch (error) {
      notifyError(error);
    } finally {
      setErasing(false);
    }
  };

  const mayExport = can(session, 'customers.export');
  const mayErase = can(session, 'customers.erase');
  return (
    <div className="zk-privacy" data-testid="customer-privacy">
      <Typography.Text strong>{t('privacy.consent.title')}</Typography.Text>
      <ul className="zk-consents">
        {PURPOSES.map((purpose) => {
          const status = consents?.current[purpose] ?? null;
          return (
            <li key={purpose} data-testid={`consent-${purpose}`} data-status={status ?? 'never'}>
              <span>{t(`privacy.consent.${purpose}`)}</span>
              <Space size={6}>
                <Tag color={status === 'granted' ? 'green' : status === 'withdrawn' ? 'red' : 'default'}>
                  {status ? t(`privacy.consent.${status}`) : t('privacy.consent.never')}
                </Tag>
                <Switch
                  size="small"
                  checked={status === 'granted'}
                  loading={saving === purpose}
                  disabled={!consents}
                  aria-label={t(`privacy.consent.${purpose}`)}
                  onChange={(on) => void record(purpose, on ? 'granted' : 'withdrawn')}
                />
              </Space>
            </li>
          );
        })}
      </ul>
      {consents && consents.history.length > 0 && (
        <Typography.Text type="secondary" className="zk-consent-history">
          {t('privacy.consent.history', { n: consents.history.length })}
        </Typography.Text>
      )}
      {(mayExport || mayErase) && (
        <div className="zk-privacy-actions">
          <Typography.Text strong>{t('privacy.actions.title')}</Typography.Text>
          <Space wrap>
            {mayExport && (
              <Button
                size="small"
                loading={exporting}
                onClick={() => void exportData()}
                data-testid="customer-export"
              >
                {t('privacy.export')}
              </Button>
            )}
            {mayErase && (
              <Button
                size="small"
                danger
                onClick={() => {
                  setTyped('');
                  setConfirmOpen(true);
                }}
                data-testid="customer-erase"
              >
                {t('privacy.erase')}
              </Button>
            )}
          </Space>
        </div>
      )}
      <Modal
        open={confirmOpen}
        title={t('privacy.erase.title')}
        okText={t('privacy.erase.submit')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, disabled: typed.trim() !== word, 'data-testid': 'erase-confirm' }}
        confirmLoading={erasing}
        onOk={() => void erase()}
        onCancel={() => setConfirmOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('privacy.erase.body')}</Typography.Paragraph>
        <Typography.Text>{t('privacy.erase.typeToConfirm', { word })}</Typography.Text>
        <Input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder={word}
          data-testid="erase-word"
          autoFocus
        />
      </Modal>
    </div>
  );
}

// Closing a complaint: the resolution in words and the customer's confirmation, both required.
import type { ComplaintView } from '@zhike/contracts';
import { App, Checkbox, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Shape = { resolutionNote: string; customerConfirmed: boolean };
type Props = { complaint: ComplaintView | null; onClose: () => void; onClosed: (c: ComplaintView) => void };

export function CloseComplaintModal({ complaint, onClose, onClosed }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Shape>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: Shape) => {
    if (!complaint) return;
    setSaving(true);
    try {
      const { complaint: closed } = await api.closeComplaint(complaint.id, {
        resolutionNote: values.resolutionNote.trim(),
        customerConfirmed: true,
      });
      message.success(t('complaints.closed'));
      form.resetFields();
      onClosed(closed);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={complaint !== null}
      title={t('complaints.closeTitle')}
      okText={t('complaints.close')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'complaint-close-submit' } as Record<string, string>}
    >
      <Form<Shape> form={form} layout="vertical" onFinish={submit} data-testid="complaint-close-form">
        <Form.Item
          name="resolutionNote"
          label={t('complaints.resolution')}
          rules={[{ required: true, whitespace: true, message: t('complaints.resolutionRequired') }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={2000}
            placeholder={t('complaints.resolutionPlaceholder')}
            data-testid="complaint-resolution"
          />
        </Form.Item>
        <Form.Item
          name="customerConfirmed"
          valuePropName="checked"
          rules={[
            {
              validator: (_, value: boolean) =>
                value ? Promise.resolve() : Promise.reject(new Error(t('complaints.confirmedRequired'))),
            },
          ]}
        >
          <Checkbox data-testid="complaint-confirmed">{t('complaints.confirmed')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

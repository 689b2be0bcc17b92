// "转为 FAQ": a cluster of unanswered questions pre-fills a new knowledge-base entry (question = the
// representative, similar questions = the other phrasings); the owner writes the answer and saves.
import type { UnansweredCluster } from '@zhike/contracts';
import { Form, Input, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

interface FaqForm {
  question: string;
  similarQuestions: string[];
  answer: string;
  tags: string[];
  enabled: boolean;
}

type Props = {
  cluster: UnansweredCluster | null;
  onClose: () => void;
  /** After the FAQ is saved; the page then dismisses the cluster's questions. */
  onCreated: (cluster: UnansweredCluster) => Promise<void>;
};

export function MakeFaqModal({ cluster, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FaqForm>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!cluster) return;
    form.setFieldsValue({
      question: cluster.representative,
      similarQuestions: cluster.examples,
      answer: '',
      tags: [],
      enabled: true,
    });
  }, [cluster, form]);

  const save = async () => {
    if (!cluster) return;
    const values = await form.validateFields();
    setSaving(true);
    try {
      await api.createFaqFromQuestions({
        question: values.question.trim(),
        similarQuestions: values.similarQuestions.map((q) => q.trim()).filter(Boolean),
        answer: values.answer.trim(),
        tags: values.tags,
        enabled: values.enabled,
      });
      await onCreated(cluster);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={cluster !== null}
      title={t('botAnalytics.faq.title')}
      okText={t('botAnalytics.faq.save')}
      cancelText={t('botAnalytics.faq.cancel')}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'make-faq-save' } as Record<string, string>}
      width={640}
    >
      <Form form={form} layout="vertical" data-testid="make-faq-form">
        <Form.Item
          name="question"
          label={t('botAnalytics.faq.question')}
          rules={[{ required: true, whitespace: true, message: t('botAnalytics.faq.questionRequired') }]}
        >
          <Input maxLength={500} data-testid="make-faq-question" />
        </Form.Item>
        <Form.Item
          name="similarQuestions"
          label={t('botAnalytics.faq.similar')}
          extra={t('botAnalytics.faq.similarHelp')}
        >
          <Select mode="tags" open={false} tokenSeparators={['\n']} data-testid="make-faq-similar" />
        </Form.Item>
        <Form.Item
          name="answer"
          label={t('botAnalytics.faq.answer')}
          rules={[{ required: true, whitespace: true, message: t('botAnalytics.faq.answerRequired') }]}
        >
          <Input.TextArea rows={5} maxLength={5000} showCount data-testid="make-faq-answer" />
        </Form.Item>
        <Form.Item name="tags" label={t('botAnalytics.faq.tags')}>
          <Select mode="tags" open={false} />
        </Form.Item>
        <Form.Item name="enabled" label={t('botAnalytics.faq.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

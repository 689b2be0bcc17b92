// Create or edit one FAQ entry: question, similar questions (a list), answer, tags, enabled.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { KnowledgeFaq } from '@zhike/contracts';
import { App, Button, Drawer, Form, Input, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

interface FormValues {
  question: string;
  similarQuestions: string[];
  answer: string;
  tags: string[];
  enabled: boolean;
}

type Props = {
  /** null = closed; 'new' = create; an entry = edit it. */
  editing: KnowledgeFaq | 'new' | null;
  tagOptions: readonly string[];
  onClose: () => void;
  onSaved: () => void;
};

export function FaqDrawer({ editing, tagOptions, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!editing) return;
    form.setFieldsValue(
      editing === 'new'
        ? { question: '', similarQuestions: [''], answer: '', tags: [], enabled: true }
        : {
            question: editing.question,
            similarQuestions: editing.similarQuestions.length > 0 ? editing.similarQuestions : [''],
            answer: editing.answer,
            tags: editing.tags,
            enabled: editing.enabled,
          },
    );
  }, [editing, form]);

  const save = async (values: FormValues) => {
    const body = {
      question: values.question.trim(),
      similarQuestions: values.similarQuestions.map((s) => s?.trim() ?? '').filter(Boolean),
      answer: values.answer.trim(),
      tags: values.tags,
      enabled: values.enabled,
    };
    setSaving(true);
    try {
      if (editing === 'new') await api.createFaq(body);
      else if (editing) await api.updateFaq(editing.id, { ...body, version: editing.version });
      message.success(t('knowledge.saved'));
      onSaved();
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict') message.error(t('knowledge.conflict'));
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={editing !== null}
      onClose={onClose}
      title={editing === 'new' ? t('knowledge.drawer.new') : t('knowledge.drawer.edit')}
      size="large"
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('knowledge.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="kb-faq-save">
            {t('knowledge.save')}
          </Button>
        </Space>
      }
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={save} data-testid="kb-faq-form">
        <Form.Item
          name="question"
          label={t('knowledge.field.question')}
          rules={[
            { required: true, whitespace: true, max: 200, message: t('knowledge.field.questionRequired') },
          ]}
        >
          <Input maxLength={200} data-testid="kb-faq-question" />
        </Form.Item>
        <Form.Item label={t('knowledge.field.similar')} extra={t('knowledge.field.similarHelp')}>
          <Form.List name="similarQuestions">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space.Compact key={field.key} block style={{ marginBottom: 8 }}>
                    <Form.Item name={field.name} noStyle>
                      <Input maxLength={200} data-testid={`kb-faq-similar-${index}`} />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={t('knowledge.delete')}
                    />
                  </Space.Compact>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add('')}
                  data-testid="kb-faq-similar-add"
                >
                  {t('knowledge.field.similarAdd')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item
          name="answer"
          label={t('knowledge.field.answer')}
          extra={t('knowledge.field.answerHelp')}
          rules={[
            { required: true, whitespace: true, max: 2000, message: t('knowledge.field.answerRequired') },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 4, maxRows: 12 }}
            maxLength={2000}
            data-testid="kb-faq-answer"
          />
        </Form.Item>
        <Form.Item name="tags" label={t('knowledge.field.tags')} extra={t('knowledge.field.tagsHelp')}>
          <Select mode="tags" options={tagOptions.map((tag) => ({ value: tag, label: tag }))} maxCount={20} />
        </Form.Item>
        <Form.Item name="enabled" label={t('knowledge.field.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

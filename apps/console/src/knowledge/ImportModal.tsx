// Import dialog: choose a file, see what it would do row by row (dry run), then confirm.
import type { KnowledgeImportFormat, KnowledgeImportResult, KnowledgeImportRow } from '@zhike/contracts';
import { Alert, App, Button, Modal, Radio, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { importFormatOf, postImportFile } from './importFile.ts';

type Props = { open: boolean; onClose: () => void; onImported: () => void };

const counts = (r: KnowledgeImportResult) => ({
  created: r.created,
  updated: r.updated,
  skipped: r.skipped,
  errors: r.errors,
});

const ACTION_COLORS: Record<KnowledgeImportRow['action'], string> = {
  create: 'green',
  update: 'blue',
  skip: 'default',
  error: 'red',
};

export function ImportModal({ open, onClose, onImported }: Props) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ blob: File; format: KnowledgeImportFormat } | null>(null);
  const [as, setAs] = useState<'faqs' | 'article'>('faqs');
  const [preview, setPreview] = useState<KnowledgeImportResult | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (
    chosen: { blob: File; format: KnowledgeImportFormat },
    mode: 'faqs' | 'article',
    dryRun: boolean,
  ) => {
    setBusy(true);
    try {
      const url = api.knowledgeImportUrl({
        format: chosen.format,
        dryRun: dryRun ? 'true' : 'false',
        ...(chosen.format === 'markdown' ? { as: mode } : {}),
      });
      const result = await postImportFile(url, chosen.blob, chosen.format, session.csrfToken);
      if (dryRun) setPreview(result);
      else {
        message.success(t('knowledge.import.done', { created: result.created, updated: result.updated }));
        onImported();
        close();
      }
    } catch (error) {
      setPreview(null);
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const choose = (blob: File | undefined) => {
    if (!blob) return;
    const format = importFormatOf(blob.name);
    if (!format) {
      message.error(t('knowledge.import.unknownType'));
      return;
    }
    const chosen = { blob, format };
    setFile(chosen);
    void run(chosen, as, true);
  };

  const close = () => {
    setFile(null);
    setPreview(null);
    if (input.current) input.current.value = '';
    onClose();
  };

  const columns: TableColumnsType<KnowledgeImportRow> = [
    { key: 'line', title: t('knowledge.import.line'), dataIndex: 'line', width: 64 },
    {
      key: 'action',
      title: t('knowledge.import.action'),
      dataIndex: 'action',
      width: 90,
      render: (action: KnowledgeImportRow['action']) => (
        <Tag color={ACTION_COLORS[action]}>{t(`knowledge.import.action.${action}`)}</Tag>
      ),
    },
    { key: 'question', title: t('knowledge.col.question'), dataIndex: 'question', ellipsis: true },
    {
      key: 'answer',
      title: t('knowledge.col.answer'),
      ellipsis: true,
      render: (_, row) =>
        row.errors.length > 0 ? (
          <Typography.Text type="danger">{row.errors.join('；')}</Typography.Text>
        ) : (
          row.answer
        ),
    },
  ];

  return (
    <Modal
      open={open}
      onCancel={close}
      title={t('knowledge.import.title')}
      width={860}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={close}>{t('knowledge.cancel')}</Button>
          <Button
            type="primary"
            disabled={!file || !preview || preview.errors > 0 || preview.created + preview.updated === 0}
            loading={busy}
            onClick={() => file && run(file, as, false)}
            data-testid="kb-import-confirm"
          >
            {t('knowledge.import.confirm')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph type="secondary">{t('knowledge.import.help')}</Typography.Paragraph>
        <Space wrap>
          <Button onClick={() => input.current?.click()} loading={busy && !preview}>
            {t('knowledge.import.choose')}
          </Button>
          <input
            ref={input}
            type="file"
            accept=".csv,.xlsx,.md,.markdown"
            style={{ display: 'none' }}
            onChange={(e) => choose(e.target.files?.[0])}
            data-testid="kb-import-file"
          />
          {file && <Typography.Text>{file.blob.name}</Typography.Text>}
        </Space>
        {file?.format === 'markdown' && (
          <Space>
            <Typography.Text>{t('knowledge.import.as')}</Typography.Text>
            <Radio.Group
              value={as}
              onChange={(e) => {
                setAs(e.target.value);
                void run(file, e.target.value, true);
              }}
              options={[
                { value: 'faqs', label: t('knowledge.import.asFaqs') },
                { value: 'article', label: t('knowledge.import.asArticle') },
              ]}
            />
          </Space>
        )}
        {preview && (
          <>
            <Alert
              type={preview.errors > 0 ? 'error' : 'info'}
              showIcon
              message={
                preview.errors > 0
                  ? `${t('knowledge.import.preview', counts(preview))} — ${t('knowledge.import.fixErrors')}`
                  : t('knowledge.import.preview', counts(preview))
              }
              data-testid="kb-import-summary"
            />
            <Table<KnowledgeImportRow>
              rowKey="line"
              size="small"
              columns={columns}
              dataSource={preview.rows}
              pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              data-testid="kb-import-preview"
            />
          </>
        )}
      </Space>
    </Modal>
  );
}

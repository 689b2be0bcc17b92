// The shortcut help (opened with ?): every workspace key, including the suggestion keys the suggestions
// panel handles.
import { Modal, Space, Table, Typography } from 'antd';
import { Fragment } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { shortcutHelp } from './shortcuts.ts';

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      title={t('shortcuts.title')}
      data-testid="shortcut-help"
    >
      <Typography.Paragraph type="secondary">{t('shortcuts.intro')}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        showHeader={false}
        rowKey="action"
        dataSource={[...shortcutHelp]}
        columns={[
          { key: 'action', render: (_, row) => t(`shortcuts.action.${row.action}`) },
          {
            key: 'keys',
            align: 'right',
            render: (_, row) => (
              <Space size={4} wrap>
                {row.keys.map((combo, i) => (
                  <Fragment key={combo.join('+')}>
                    {i > 0 && <Typography.Text type="secondary">{t('shortcuts.or')}</Typography.Text>}
                    {combo.map((key) => (
                      <Typography.Text keyboard key={key}>
                        {key}
                      </Typography.Text>
                    ))}
                  </Fragment>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Modal>
  );
}

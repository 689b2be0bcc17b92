// The list the reply box's `/shortcut` completion shows above the text: shortcut, title, compliance mark.
import { Spin, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { ShortcutCompletion as Completion } from './useShortcutCompletion.ts';

export function ShortcutCompletion({ completion }: { completion: Completion }) {
  const { t } = useI18n();
  if (!completion.open) return null;
  return (
    <div className="zk-shortcuts" data-testid="reply-shortcuts">
      <div className="zk-shortcuts-head">
        <span>{t('replies.complete.title')}</span>
        <span>{t('replies.complete.hint')}</span>
      </div>
      {completion.loading && completion.items.length === 0 ? (
        <div className="zk-shortcuts-empty">
          <Spin size="small" />
        </div>
      ) : completion.items.length === 0 ? (
        <div className="zk-shortcuts-empty">{t('replies.complete.empty')}</div>
      ) : (
        <div role="listbox" aria-label={t('replies.complete.title')} className="zk-shortcut-list">
          {completion.items.map((item, index) => (
            <div
              key={item.id}
              role="option"
              tabIndex={-1}
              aria-selected={index === completion.active}
              className={index === completion.active ? 'zk-shortcut zk-shortcut-active' : 'zk-shortcut'}
              data-testid="reply-shortcut"
              data-shortcut={item.shortcut}
              onMouseEnter={() => completion.setActive(index)}
              // Before the textarea loses focus, so the caret stays where the shortcut was typed.
              onMouseDown={(event) => {
                event.preventDefault();
                completion.choose(item);
              }}
            >
              <Typography.Text code>/{item.shortcut}</Typography.Text>
              <span className="zk-shortcut-title">{item.title}</span>
              {item.compliance && <Tag color="gold">{t('replies.compliance')}</Tag>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

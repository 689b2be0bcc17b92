// A masked customer value (138****5678) with an eye button for users allowed to reveal it. Revealing
// asks the server (POST /customers/:id/reveal), which records who saw which field of whom.
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import type { RevealedCustomer, RevealField } from '@zhike/contracts';
import { Button, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Props = {
  customerId: string;
  field: RevealField;
  masked: string;
  /** Picks this value out of the reveal answer (identities come back as a list). */
  pick?: (revealed: RevealedCustomer) => string | null | undefined;
  'data-testid'?: string;
};

export function RevealableValue({ customerId, field, masked, pick, ...rest }: Props) {
  const { t } = useI18n();
  const { session, api } = useSignedIn();
  const notifyError = useNotifyError();
  // Bound to what was revealed: another customer (or a new masked value) shows masked again.
  const scope = `${customerId}:${field}:${masked}`;
  const [revealed, setRevealed] = useState<{ scope: string; value: string } | null>(null);
  const clear = revealed?.scope === scope ? revealed.value : null;
  const [busy, setBusy] = useState(false);
  const testId = rest['data-testid'] ?? `reveal-${field}`;

  const reveal = async () => {
    setBusy(true);
    try {
      const answer = await api.revealCustomer(customerId, [field]);
      const value = pick ? pick(answer) : answer[field as 'name' | 'email' | 'phone'];
      setRevealed({ scope, value: typeof value === 'string' ? value : masked });
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const mayReveal = can(session, 'customers.reveal');
  return (
    <span className="zk-revealable">
      <Typography.Text copyable={clear !== null} data-testid={`${testId}-value`}>
        {clear ?? masked}
      </Typography.Text>
      {mayReveal && (
        <Tooltip title={clear === null ? t('security.reveal.show') : t('security.reveal.hide')}>
          <Button
            type="text"
            size="small"
            loading={busy}
            aria-label={clear === null ? t('security.reveal.show') : t('security.reveal.hide')}
            icon={clear === null ? <EyeOutlined /> : <EyeInvisibleOutlined />}
            onClick={() => (clear === null ? void reveal() : setRevealed(null))}
            data-testid={testId}
          />
        </Tooltip>
      )}
    </span>
  );
}

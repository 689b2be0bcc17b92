// Pops the agent's queue offers (customer, queue, priority, a countdown to expiry) with 接受 / 拒绝, and
// warns supervisors of missed pickups. Offers come from the console feed; the ones already outstanding
// when the console opens (or reconnects) come from GET /offers, so a reload never loses one.
import type { Agent, ConsoleServerFrame, Offer } from '@zhike/contracts';
import { App, Button, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { routeHref } from '../routing/route.ts';
import { useQueueNames } from '../routingRules/useQueueNames.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { type OfferDetails, offerDetails, secondsLeft } from './offers.ts';

type OfferFrame = Pick<Offer, 'id' | 'conversationId' | 'userId' | 'queueId' | 'expiresAt'>;
const offerKey = (offerId: string) => `offer-${offerId}`;

export function OfferNotices() {
  const { session } = useSignedIn();
  const { permissions } = session;
  return (
    <>
      {permissions.includes('conversations.assign_self') && <MyOffers />}
      {permissions.includes('queues.manage') && <MissedPickups />}
    </>
  );
}

function MyOffers() {
  const { t } = useI18n();
  const { notification, message } = App.useApp();
  const { api, session } = useSignedIn();
  const { generation } = useFeedStatus();
  const notifyError = useNotifyError();
  const userId = session.user.id;
  /** Offers shown (or being shown); an id leaves when its card closes, so a late frame cannot reopen it. */
  const open = useRef(new Set<string>());
  const ended = useRef(new Set<string>());

  const close = useCallback(
    (offerId: string) => {
      ended.current.add(offerId);
      open.current.delete(offerId);
      notification.destroy(offerKey(offerId));
    },
    [notification],
  );

  const show = useCallback(
    async (offer: OfferFrame) => {
      if (offer.userId !== userId || open.current.has(offer.id) || ended.current.has(offer.id)) return;
      if (secondsLeft(offer.expiresAt, Date.now()) === 0) return;
      open.current.add(offer.id);
      // The frame carries ids only; the waiting line names the customer, the queue and the priority.
      const details: OfferDetails = await api
        .listWaiting()
        .then((r) => offerDetails(r.waiting, offer.conversationId))
        .catch(() => ({ customerName: null, queueName: null, priority: null }));
      if (ended.current.has(offer.id)) return; // withdrawn while we looked it up
      const accept = () =>
        api.acceptOffer(offer.id).then(
          (r) => {
            close(offer.id);
            window.location.hash = routeHref({ name: 'inbox', conversationId: r.conversationId });
          },
          (error: unknown) => {
            close(offer.id);
            notifyError(error);
          },
        );
      const decline = () =>
        api.declineOffer(offer.id).then(
          () => close(offer.id),
          (error: unknown) => {
            close(offer.id);
            notifyError(error);
          },
        );
      notification.info({
        key: offerKey(offer.id),
        title: t('queues.offer.title'),
        description: (
          <Space direction="vertical" size={2} data-testid="queue-offer">
            <span>
              {t('queues.offer.customer', { name: details.customerName ?? t('queues.offer.anonymous') })}
            </span>
            <span>{t('queues.offer.queue', { name: details.queueName ?? t('queues.offer.noQueue') })}</span>
            {details.priority && (
              <span>{t('queues.offer.priority', { priority: t(`priority.${details.priority}`) })}</span>
            )}
            <Countdown
              expiresAt={offer.expiresAt}
              label={(seconds) => t('queues.offer.expiresIn', { seconds })}
              onExpired={() => close(offer.id)}
            />
          </Space>
        ),
        actions: (
          <Space>
            <ActionButton onClick={decline} testId="queue-offer-decline">
              {t('queues.offer.decline')}
            </ActionButton>
            <ActionButton primary onClick={accept} testId="queue-offer-accept">
              {t('queues.offer.accept')}
            </ActionButton>
          </Space>
        ),
        duration: 0,
        onClose: () => open.current.delete(offer.id),
      });
    },
    [api, userId, notification, t, close, notifyError],
  );

  // Outstanding offers at start and after a reconnect (frames may have been missed meanwhile).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger.
  useEffect(() => {
    const controller = new AbortController();
    api.listMyOffers(controller.signal).then((r) => {
      for (const offer of r.offers) void show(offer);
    }, notifyError);
    return () => controller.abort();
  }, [api, show, notifyError, generation]);

  useConsoleFrames((frame: ConsoleServerFrame) => {
    if (frame.type === 'offer') void show(frame.offer);
    else if (frame.type === 'offer.withdrawn' && frame.userId === userId) {
      if (open.current.has(frame.offerId) && frame.reason === 'picked_up_elsewhere')
        message.info(t('queues.offer.gone'));
      close(frame.offerId);
    }
  });
  return null;
}

/** A button that shows it is busy and cannot be pressed twice while its request runs. */
function ActionButton(props: {
  onClick: () => Promise<unknown>;
  primary?: boolean;
  testId: string;
  children: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      type={props.primary ? 'primary' : 'default'}
      loading={busy}
      data-testid={props.testId}
      onClick={() => {
        setBusy(true);
        props.onClick().finally(() => setBusy(false));
      }}
    >
      {props.children}
    </Button>
  );
}

function Countdown(props: { expiresAt: string; label: (seconds: number) => string; onExpired: () => void }) {
  const { expiresAt, onExpired } = props;
  const [left, setLeft] = useState(() => secondsLeft(expiresAt, Date.now()));
  const expired = useRef(onExpired);
  expired.current = onExpired;
  useEffect(() => {
    const timer = window.setInterval(() => {
      const next = secondsLeft(expiresAt, Date.now());
      setLeft(next);
      // The server re-offers on its own timer; the card just goes away.
      if (next === 0) expired.current();
    }, 1000);
    return () => window.clearInterval(timer);
  }, [expiresAt]);
  return (
    <Typography.Text type={left <= 10 ? 'danger' : 'secondary'} data-testid="queue-offer-countdown">
      {props.label(left)}
    </Typography.Text>
  );
}

function MissedPickups() {
  const { t } = useI18n();
  const { notification } = App.useApp();
  const { api } = useSignedIn();
  const queues = useQueueNames();
  const agents = useRef<Agent[] | null>(null);

  useConsoleFrames((frame) => {
    if (frame.type !== 'queue.pickup_missed') return;
    const { conversationId, userId, queueId } = frame;
    const queueName = queues.find((q) => q.id === queueId)?.name ?? t('queues.offer.noQueue');
    // Agent names are loaded once, on the first alert; an unknown id shows as is.
    const named = agents.current
      ? Promise.resolve(agents.current)
      : api.listAgents().then(
          (r) => (agents.current = r.agents),
          () => [] as Agent[],
        );
    void named.then((list) => {
      const agent = list.find((a) => a.userId === userId)?.name || userId;
      notification.warning({
        key: `missed-${conversationId}-${userId}`,
        title: t('queues.missed.title'),
        description: t('queues.missed.body', { agent, queue: queueName }),
        actions: (
          <Button
            size="small"
            href={routeHref({ name: 'inbox', conversationId })}
            data-testid="queue-missed-open"
          >
            {t('queues.missed.open')}
          </Button>
        ),
        duration: 0,
      });
    });
  });
  return null;
}

// The agent's softphone: a transferred call rings with the caller and the hand-off card (answer or
// decline); on the call: timer, mute, hold, hang-up, transfer to a colleague or back to the assistant,
// and the live transcript. Call control travels on the console socket (frames `call.*`).
import type { ConsoleServerFrame } from '@zhike/contracts';
import { App, Button, Card, Dropdown, Empty, List, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useUsers } from '../conversation/useUsers.ts';
import { HandoffCard } from '../handoff/HandoffCard.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames, useConsoleSend, useFeedStatus } from '../realtime/RealtimeContext.tsx';
import { routeHref } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { AgentMedia } from './agentMedia.ts';
import { type CallBackTarget, onCallBackRequest } from './callBackRequests.ts';
import { type ActiveCall, initialSoftphone, type RingingCall, softphoneReducer } from './softphoneState.ts';

export function Softphone() {
  const { session } = useSignedIn();
  const may =
    session.permissions.includes('calls.read') && session.permissions.includes('conversations.reply');
  return may ? <SoftphoneInner userId={session.user.id} /> : null;
}

function SoftphoneInner({ userId }: { userId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const send = useConsoleSend();
  const [state, dispatch] = useReducer(softphoneReducer, initialSoftphone);
  const media = useRef<AgentMedia | null>(null);
  const activeId = useRef<string | null>(null);
  activeId.current = state.active && state.active.phase !== 'ended' ? state.active.callId : null;
  // A call-back sent and not yet stored: the server's answer names its id.
  const dialling = useRef(false);
  dialling.current = state.active?.outbound === true && state.active.callId === '';

  const closeMedia = useCallback(() => {
    media.current?.close();
    media.current = null;
  }, []);

  useConsoleFrames((frame: ConsoleServerFrame) => {
    if (
      frame.type === 'call.answer' &&
      (frame.callId === activeId.current || (dialling.current && frame.conversationId !== undefined))
    )
      media.current?.answer(frame.sdp).catch(() => dispatch({ kind: 'failed', error: 'bad_offer' }));
    dispatch({ kind: 'frame', frame, userId });
  });

  // Calls already waiting when the console opens (or reconnects) ring too: their offer frames went by.
  const { api } = useSignedIn();
  const { generation } = useFeedStatus();
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is a deliberate reload trigger
  useEffect(() => {
    const controller = new AbortController();
    api.listCalls({ state: 'queued' }, controller.signal).then(
      (list) => {
        for (const c of list.calls)
          dispatch({
            kind: 'frame',
            userId,
            frame: {
              type: 'call.offered',
              call: { callId: c.id, conversationId: c.conversationId, from: c.from, transport: c.transport },
              toUserId: null,
            },
          });
      },
      () => {},
    );
    return () => controller.abort();
  }, [api, generation, userId]);

  useEffect(() => {
    if (state.active?.phase === 'ended') closeMedia();
  }, [state.active?.phase, closeMedia]);
  useEffect(() => closeMedia, [closeMedia]);
  const refusedDial = state.active?.outbound === true && state.active.callId === '';
  useEffect(() => {
    if (!state.error) return;
    const code = state.error === 'no-mic' ? 'internal' : state.error;
    // A refused call-back says why in its own words (no phone, no voice inbox), not as a taken call.
    const key =
      refusedDial && (code === 'conflict' || code === 'not_found')
        ? `softphone.callBackError.${code}`
        : `softphone.error.${code}`;
    message.error(t(key as MessageKey));
  }, [state.error, refusedDial, message, t]);

  const openMicrophone = async (): Promise<string | null> => {
    const agentMedia = new AgentMedia(() => dispatch({ kind: 'failed', error: 'internal' }));
    media.current = agentMedia;
    try {
      return await agentMedia.offer();
    } catch {
      agentMedia.close();
      message.error(t('softphone.noMic'));
      dispatch({ kind: 'failed', error: 'no-mic' });
      return null;
    }
  };

  const callBack = async (target: CallBackTarget) => {
    if (activeId.current !== null) return;
    dispatch({
      kind: 'dial',
      conversationId: 'conversationId' in target ? target.conversationId : null,
      at: Date.now(),
    });
    const sdp = await openMicrophone();
    if (sdp === null) return;
    if (!send({ type: 'call.dial', target, sdp })) dispatch({ kind: 'failed', error: 'internal' });
  };
  const callBackRef = useRef(callBack);
  callBackRef.current = callBack;
  useEffect(() => onCallBackRequest((target) => void callBackRef.current(target)), []);

  const answer = async (call: RingingCall) => {
    dispatch({ kind: 'answer', callId: call.callId, at: Date.now() });
    const sdp = await openMicrophone();
    if (sdp === null) return;
    if (!send({ type: 'call.answer', callId: call.callId, sdp }))
      dispatch({ kind: 'failed', error: 'internal' });
  };

  const active = state.active;
  return (
    <div className="zk-softphone" data-testid="softphone">
      {state.ringing.map((call) => (
        <RingingCard
          key={call.callId}
          call={call}
          busy={active !== null && active.phase !== 'ended'}
          onAnswer={() => void answer(call)}
          onReject={() => dispatch({ kind: 'reject', callId: call.callId })}
        />
      ))}
      {active && (
        <ActiveCallCard
          call={active}
          onMute={(muted) => {
            media.current?.setMuted(muted);
            send({ type: 'call.mute', callId: active.callId, muted });
            dispatch({ kind: 'muted', muted });
          }}
          onHold={(held) => {
            send({ type: 'call.hold', callId: active.callId, held });
            dispatch({ kind: 'held', held });
          }}
          onHangUp={() => {
            // A call-back not stored yet has no id: closing the media is all there is to end.
            if (active.callId) send({ type: 'call.hangup', callId: active.callId });
            closeMedia();
            dispatch({ kind: 'hungUp' });
          }}
          onTransfer={(to) => send({ type: 'call.transfer', callId: active.callId, to })}
          onDismiss={() => dispatch({ kind: 'dismiss' })}
        />
      )}
    </div>
  );
}

function callerText(t: ReturnType<typeof useI18n>['t'], call: RingingCall | ActiveCall): string {
  if ('outbound' in call && call.outbound) return t('softphone.outgoing');
  return call.transport === 'webrtc' || !call.from
    ? t('softphone.webCaller')
    : t('softphone.phoneCaller', { from: call.from });
}

function RingingCard(props: {
  call: RingingCall;
  busy: boolean;
  onAnswer: () => void;
  onReject: () => void;
}) {
  const { t } = useI18n();
  const { call } = props;
  return (
    <Card
      size="small"
      className="zk-softphone-card"
      data-testid="softphone-ringing"
      title={t('softphone.incoming')}
      extra={<Tag color="processing">{callerText(t, call)}</Tag>}
      actions={[
        <Button
          key="answer"
          type="primary"
          disabled={props.busy}
          onClick={props.onAnswer}
          data-testid="softphone-answer"
        >
          {t('softphone.answer')}
        </Button>,
        <Button key="reject" danger onClick={props.onReject} data-testid="softphone-reject">
          {t('softphone.reject')}
        </Button>,
      ]}
    >
      <div className="zk-softphone-handoff">
        <HandoffCard conversationId={call.conversationId} handedOff />
      </div>
    </Card>
  );
}

function useElapsed(since: number, running: boolean): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function ActiveCallCard(props: {
  call: ActiveCall;
  onMute: (muted: boolean) => void;
  onHold: (held: boolean) => void;
  onHangUp: () => void;
  onTransfer: (to: { kind: 'agent'; userId: string } | { kind: 'bot' }) => void;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  const { session } = useSignedIn();
  const { call } = props;
  const live = call.phase === 'connected';
  const elapsed = useElapsed(call.answeredAt, call.phase !== 'ended');
  const users = useUsers(live);
  const colleagues = (users ?? []).filter((u) => u.id !== session.user.id);
  const status = statusText(t, call);
  return (
    <Card
      size="small"
      className="zk-softphone-card"
      data-testid="softphone-call"
      data-phase={call.phase}
      title={
        <Space>
          <span>{callerText(t, call)}</span>
          <Tag color={live ? 'green' : 'default'} data-testid="softphone-status">
            {status}
          </Tag>
          <Typography.Text type="secondary" data-testid="softphone-timer">
            {elapsed}
          </Typography.Text>
        </Space>
      }
      extra={
        <a href={routeHref({ name: 'inbox', conversationId: call.conversationId })}>
          {t('softphone.openConversation')}
        </a>
      }
    >
      {call.phase === 'ended' ? (
        <Button onClick={props.onDismiss} data-testid="softphone-dismiss">
          {t('softphone.close')}
        </Button>
      ) : (
        <Space wrap>
          <Button disabled={!live} onClick={() => props.onMute(!call.muted)} data-testid="softphone-mute">
            {call.muted ? t('softphone.unmute') : t('softphone.mute')}
          </Button>
          <Button disabled={!live} onClick={() => props.onHold(!call.held)} data-testid="softphone-hold">
            {call.held ? t('softphone.resume') : t('softphone.hold')}
          </Button>
          <Dropdown
            disabled={!live}
            menu={{
              items: [
                { key: 'bot', label: t('softphone.transferToBot') },
                {
                  key: 'agents',
                  label: t('softphone.transferToAgent'),
                  children: colleagues.map((u) => ({ key: `agent:${u.id}`, label: u.name })),
                  disabled: colleagues.length === 0,
                },
              ],
              onClick: ({ key }) =>
                props.onTransfer(
                  key === 'bot' ? { kind: 'bot' } : { kind: 'agent', userId: key.slice('agent:'.length) },
                ),
            }}
          >
            <Button data-testid="softphone-transfer">{t('softphone.transfer')}</Button>
          </Dropdown>
          <Button danger type="primary" onClick={props.onHangUp} data-testid="softphone-hangup">
            {t('softphone.hangUp')}
          </Button>
        </Space>
      )}
      {call.suggestions && call.suggestions.items.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('suggestions.title')}
          </Typography.Title>
          <List
            size="small"
            data-testid="softphone-suggestions"
            dataSource={call.suggestions.items}
            renderItem={(s) => (
              <List.Item key={`${s.source.kind}:${s.source.id}`}>
                <Space direction="vertical" size={2}>
                  <Space size={4}>
                    {s.pinned && <Tag color="red">{t('suggestions.compliance')}</Tag>}
                    <Tag>{t(`suggestions.source.${s.source.kind}`)}</Tag>
                  </Space>
                  <Typography.Text>{s.text}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('softphone.transcript')}
      </Typography.Title>
      {call.transcript.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('softphone.transcriptEmpty')} />
      ) : (
        <List
          size="small"
          className="zk-softphone-transcript"
          data-testid="softphone-transcript"
          dataSource={call.transcript}
          renderItem={(line) => (
            <List.Item key={line.seq}>
              <Typography.Text strong>{t(`softphone.speaker.${line.speaker}`)}</Typography.Text>：{line.text}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function statusText(t: ReturnType<typeof useI18n>['t'], call: ActiveCall): string {
  switch (call.phase) {
    case 'dialling':
      return t('softphone.dialling');
    case 'ringing':
      return t('softphone.ringingOut');
    case 'connecting':
      return t('softphone.connecting');
    case 'ended':
      return call.outcome ? t(`softphone.outcome.${call.outcome}`) : t('softphone.ended');
    case 'connected':
      return call.held ? t('softphone.onHold') : call.muted ? t('softphone.muted') : t('softphone.inCall');
  }
}

// #/outreach and #/outreach/<id>: the list loads with the shell; a campaign's page (with its ECharts
// report) loads on first visit.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import type { Route } from '../routing/route.ts';
import { OutreachPage } from './OutreachPage.tsx';

const OutreachDetailPage = lazy(() =>
  import('./OutreachDetailPage.tsx').then((m) => ({ default: m.OutreachDetailPage })),
);

type Props = { campaignId: string | null; navigate: (route: Route) => void };

export function OutreachRoute({ campaignId, navigate }: Props) {
  if (!campaignId) return <OutreachPage navigate={navigate} />;
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <OutreachDetailPage key={campaignId} campaignId={campaignId} navigate={navigate} />
    </Suspense>
  );
}

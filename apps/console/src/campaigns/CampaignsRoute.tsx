// #/campaigns and #/campaigns/<id>: the list loads with the shell; a campaign's page loads on first
// visit, so its charts (ECharts) stay out of the bundle every agent loads.
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import type { Route } from '../routing/route.ts';
import { CampaignsPage } from './CampaignsPage.tsx';

const CampaignDetailPage = lazy(() =>
  import('./CampaignDetailPage.tsx').then((m) => ({ default: m.CampaignDetailPage })),
);

type Props = { campaignId: string | null; navigate: (route: Route) => void };

export function CampaignsRoute({ campaignId, navigate }: Props) {
  if (!campaignId) return <CampaignsPage navigate={navigate} />;
  return (
    <Suspense fallback={<Skeleton active style={{ padding: 28 }} />}>
      <CampaignDetailPage key={campaignId} campaignId={campaignId} navigate={navigate} />
    </Suspense>
  );
}

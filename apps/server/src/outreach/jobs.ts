// The re-engagement jobs and the unsubscribe-reply listener, wired from the app's services.
import type { HttpClient } from '@zhike/channels';
import type { Clock, EventBus } from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { ChannelRegistry } from '../channels/registry.ts';
import type { Config } from '../config.ts';
import type { CostMeter } from '../costs/costMeter.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { listenForOptOuts, outreachOptOutHandler } from './optOut.ts';
import { outreachPlanHandler } from './planner.ts';
import { outreachSendHandler } from './sender.ts';

export function outreachJobHandlers(
  deps: {
    db: Database;
    bus: EventBus;
    channels: ChannelRegistry;
    channelHttp: HttpClient;
    channelRelay: (hostname: string) => Promise<string>;
    clock: Clock;
    newId: () => string;
    log: Logger;
    config: Pick<Config, 'secret' | 'publicUrl'>;
    costs?: CostMeter;
  },
  wakeWorker: () => void,
): Record<'outreach.plan' | 'outreach.send' | 'outreach.opt_out', JobHandler> {
  const base = { db: deps.db, clock: deps.clock, newId: deps.newId, wakeWorker };
  // Bound to the bus: closing the bus ends the subscription.
  listenForOptOuts({ ...base, bus: deps.bus });
  return {
    'outreach.plan': outreachPlanHandler(base),
    'outreach.send': outreachSendHandler({
      ...base,
      channels: deps.channels,
      http: deps.channelHttp,
      resolveRelay: deps.channelRelay,
      log: deps.log,
      secret: deps.config.secret,
      publicUrl: deps.config.publicUrl,
      ...(deps.costs ? { costs: deps.costs } : {}),
    }),
    'outreach.opt_out': outreachOptOutHandler(base),
  };
}

// A workspace gets its industry template's human queues the first time its bot is built (the same moment
// its knowledge base is seeded), once: queues the owner later renames or deletes are left as they are.
import type { Locale } from '../model.ts';
import type { WorkspaceRepositories } from '../ports.ts';
import {
  DEFAULT_OVERFLOW_AFTER_SECONDS,
  DEFAULT_PICKUP_TIMEOUT_SECONDS,
  type OverflowPolicy,
  type Queue,
  type QueueStrategy,
} from './queues.ts';

/** A queue as an industry template declares it (templates/<id>/<locale>.json, `queues`). */
export interface TemplateQueueSeed {
  key: string;
  name: string;
  requiredSkills?: string[];
  strategy?: QueueStrategy;
  pickupTimeoutSeconds?: number;
  overflowPolicy?: OverflowPolicy;
  overflowAfterSeconds?: number;
}

/** What every template gets when it declares no queues of its own. */
export const fallbackQueues: Record<Locale, TemplateQueueSeed[]> = {
  'zh-CN': [
    { key: 'general', name: '综合客服', strategy: 'least_busy', overflowPolicy: 'wait' },
    { key: 'complaints', name: '投诉处理', strategy: 'least_busy', overflowPolicy: 'wait' },
  ],
  'en-US': [
    { key: 'general', name: 'General support', strategy: 'least_busy', overflowPolicy: 'wait' },
    { key: 'complaints', name: 'Complaints', strategy: 'least_busy', overflowPolicy: 'wait' },
  ],
};

export interface EnsureDefaultQueuesInput {
  templateId: string;
  locale: Locale;
  /** The template's own queues; the fallback pair when absent or empty. */
  queues?: readonly TemplateQueueSeed[] | undefined;
}

/** Returns the queues created now (none when the workspace was seeded before). */
export async function ensureDefaultQueues(
  repos: Pick<WorkspaceRepositories, 'queues'>,
  input: EnsureDefaultQueuesInput,
  deps: { newId: () => string; at: string },
): Promise<Queue[]> {
  const settings = await repos.queues.settings();
  if (settings.seededTemplate !== null) return [];
  const seeds = input.queues && input.queues.length > 0 ? input.queues : fallbackQueues[input.locale];
  const created: Queue[] = [];
  for (const [position, seed] of seeds.entries()) {
    if (await repos.queues.findByKey(seed.key)) continue;
    // Null: a concurrent first compile created it a moment ago.
    const queue = await repos.queues.create({
      id: deps.newId(),
      key: seed.key,
      name: seed.name,
      requiredSkills: seed.requiredSkills ?? [],
      language: null,
      strategy: seed.strategy ?? 'least_busy',
      pickupTimeoutSeconds: seed.pickupTimeoutSeconds ?? DEFAULT_PICKUP_TIMEOUT_SECONDS,
      overflowPolicy: seed.overflowPolicy ?? 'wait',
      overflowAfterSeconds: seed.overflowAfterSeconds ?? DEFAULT_OVERFLOW_AFTER_SECONDS,
      position,
      memberIds: [],
      createdAt: deps.at,
    });
    if (queue) created.push(queue);
  }
  await repos.queues.saveSettings({ seededTemplate: input.templateId }, deps.at);
  return created;
}

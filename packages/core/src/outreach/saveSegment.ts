// Creates or edits a segment (a saved rule), and counts who a rule holds now (the console's live count).
import { notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import { customerFacts } from './customerFacts.ts';
import type { Segment, SegmentRule } from './outreach.ts';
import { evaluateSegment } from './segment.ts';
import { checkSegmentRule, invalid } from './validate.ts';

export async function saveSegment(
  deps: UseCaseDeps,
  input: { id?: string; name: string; rule: SegmentRule; savedBy: string },
): Promise<Segment> {
  const name = input.name.trim();
  if (!name || [...name].length > 80) throw invalid('name is required (at most 80 characters)');
  const rule = checkSegmentRule(input.rule);
  const at = deps.clock.now().toISOString();
  const existing = input.id ? await deps.store.outreach.segments.get(input.id) : null;
  if (input.id && !existing) throw notFound('segment');
  const segment: Segment = {
    id: existing?.id ?? deps.newId(),
    name,
    rule,
    createdBy: existing?.createdBy ?? input.savedBy,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  await deps.store.outreach.segments.save(segment);
  return segment;
}

export async function countSegment(
  deps: Pick<UseCaseDeps, 'store' | 'clock'>,
  rule: SegmentRule,
): Promise<{ count: number; total: number }> {
  const facts = await customerFacts(deps.store);
  return {
    count: evaluateSegment(checkSegmentRule(rule), facts, deps.clock.now()).length,
    total: facts.length,
  };
}

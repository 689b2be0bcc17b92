// Checks custom field values against the workspace's definitions: known keys only, each of its kind
// (text, number, select option, calendar date), required ones present when a ticket is opened.
import { DomainError } from '../errors.ts';
import { type CustomFieldValue, TICKET_LIMITS, type TicketFieldDefinition } from './ticket.ts';

const invalid = (message: string) => new DomainError('validation_failed', message);

const isCalendarDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

function checkValue(definition: TicketFieldDefinition, value: CustomFieldValue): CustomFieldValue {
  const label = `custom field "${definition.key}"`;
  switch (definition.kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(n)) throw invalid(`${label} must be a number`);
      return n;
    }
    case 'date':
      if (typeof value !== 'string' || !isCalendarDate(value))
        throw invalid(`${label} must be a date (YYYY-MM-DD)`);
      return value;
    case 'select':
      if (typeof value !== 'string' || !definition.options.includes(value))
        throw invalid(`${label} must be one of: ${definition.options.join(', ')}`);
      return value;
    case 'text': {
      const text = String(value).trim();
      if ([...text].length > TICKET_LIMITS.textValueLength)
        throw invalid(`${label} must be at most ${TICKET_LIMITS.textValueLength} characters`);
      return text;
    }
  }
}

/**
 * The values checked and normalised (numbers as numbers, text trimmed; an empty string clears a field).
 * `current` are the values already on the ticket: a patch is merged into them.
 */
export function validateCustomFields(
  definitions: readonly TicketFieldDefinition[],
  values: Record<string, CustomFieldValue>,
  options: { current?: Record<string, CustomFieldValue>; requireAll: boolean },
): Record<string, CustomFieldValue> {
  const byKey = new Map(definitions.filter((d) => !d.archived).map((d) => [d.key, d]));
  const result: Record<string, CustomFieldValue> = { ...(options.current ?? {}) };
  for (const [key, value] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) throw invalid(`unknown custom field "${key}"`);
    if (value === '') delete result[key];
    else result[key] = checkValue(definition, value);
  }
  if (Object.keys(result).length > TICKET_LIMITS.customFields) throw invalid('too many custom fields');
  if (options.requireAll)
    for (const d of byKey.values())
      if (d.required && result[d.key] === undefined) throw invalid(`custom field "${d.key}" is required`);
  return result;
}

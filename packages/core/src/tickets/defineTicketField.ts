// The workspace's custom ticket fields: add one (its key and kind are fixed from then on, since tickets
// store their values by key), or change its labels, options, required flag, order or archive it. An
// archived field keeps the values old tickets hold but takes no new ones.
import { DomainError, notFound } from '../errors.ts';
import type { UseCaseDeps } from '../ports.ts';
import { type CustomFieldKind, TICKET_LIMITS, type TicketFieldDefinition } from './ticket.ts';

export interface TicketFieldChange {
  label?: string;
  labelEn?: string | null;
  options?: string[];
  required?: boolean;
  position?: number;
  archived?: boolean;
}

export interface DefineTicketFieldInput extends TicketFieldChange {
  key: string;
  label: string;
  kind: CustomFieldKind;
}

const invalid = (message: string) => new DomainError('validation_failed', message);
const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const LABEL_LENGTH = 60;
const OPTION_LENGTH = 100;

const cleanLabel = (label: string, name: string): string => {
  const text = label.trim();
  if (!text || [...text].length > LABEL_LENGTH) throw invalid(`${name} must be 1–${LABEL_LENGTH} characters`);
  return text;
};

/** A select's options: trimmed, none empty or repeated, at least one. Other kinds have none. */
function cleanOptions(kind: CustomFieldKind, options: readonly string[]): string[] {
  if (kind !== 'select') {
    if (options.length > 0) throw invalid(`a ${kind} field has no options`);
    return [];
  }
  const list = options.map((o) => o.trim());
  if (list.length === 0) throw invalid('a select field needs at least one option');
  if (list.length > TICKET_LIMITS.selectOptions)
    throw invalid(`a select field has at most ${TICKET_LIMITS.selectOptions} options`);
  if (list.some((o) => !o || [...o].length > OPTION_LENGTH))
    throw invalid(`options must be 1–${OPTION_LENGTH} characters`);
  if (new Set(list).size !== list.length) throw invalid('an option is listed twice');
  return list;
}

function applyChange(field: TicketFieldDefinition, change: TicketFieldChange): TicketFieldDefinition {
  return {
    ...field,
    ...(change.label !== undefined ? { label: cleanLabel(change.label, 'label') } : {}),
    ...(change.labelEn !== undefined
      ? {
          labelEn:
            change.labelEn === null || !change.labelEn.trim() ? null : cleanLabel(change.labelEn, 'labelEn'),
        }
      : {}),
    ...(change.options !== undefined ? { options: cleanOptions(field.kind, change.options) } : {}),
    ...(change.required !== undefined ? { required: change.required } : {}),
    ...(change.position !== undefined ? { position: change.position } : {}),
    ...(change.archived !== undefined ? { archived: change.archived } : {}),
  };
}

async function save(deps: UseCaseDeps, field: TicketFieldDefinition): Promise<TicketFieldDefinition> {
  if (!(await deps.store.tickets.fieldDefinitions.save(field)))
    throw new DomainError('conflict', `a custom field with the key "${field.key}" exists already`);
  return field;
}

export async function defineTicketField(
  deps: UseCaseDeps,
  input: DefineTicketFieldInput,
): Promise<TicketFieldDefinition> {
  if (!FIELD_KEY.test(input.key))
    throw invalid('key must start with a lower-case letter: lower-case letters, digits, underscores (≤ 40)');
  const existing = await deps.store.tickets.fieldDefinitions.list();
  if (existing.some((d) => d.key === input.key))
    throw new DomainError('conflict', `a custom field with the key "${input.key}" exists already`);
  if (existing.filter((d) => !d.archived).length >= TICKET_LIMITS.fieldDefinitions)
    throw invalid(`a workspace has at most ${TICKET_LIMITS.fieldDefinitions} custom fields`);
  const blank: TicketFieldDefinition = {
    id: deps.newId(),
    key: input.key,
    label: '',
    labelEn: null,
    kind: input.kind,
    options: [],
    required: false,
    position: Math.max(-1, ...existing.map((d) => d.position)) + 1,
    archived: false,
    createdAt: deps.clock.now().toISOString(),
  };
  return save(deps, applyChange(blank, { options: [], ...input }));
}

export async function changeTicketField(
  deps: UseCaseDeps,
  input: { id: string; change: TicketFieldChange },
): Promise<TicketFieldDefinition> {
  const field = (await deps.store.tickets.fieldDefinitions.list()).find((d) => d.id === input.id);
  if (!field) throw notFound('custom field');
  return save(deps, applyChange(field, input.change));
}

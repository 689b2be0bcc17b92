// Turning what the owner edited into the overrides document: only what differs from the template is kept,
// so the template's later improvements still reach everything the owner left alone.
import type {
  DialogueFormView,
  DialogueHandler,
  DialogueIntentView,
  DialogueOverrides,
} from '@zhike/contracts';

type IntentOverride = NonNullable<DialogueOverrides['intents']>[string];
type FormOverride = NonNullable<DialogueOverrides['forms']>[string];

export interface IntentEdit {
  name: string;
  /** The short name people see (custom intents only; a template intent keeps the template's). */
  label?: string;
  description: string;
  examples: string[];
  handler: DialogueHandler;
}

const tidy = (examples: readonly string[]) => [
  ...new Set(examples.map((e) => e.trim()).filter((e) => e !== '')),
];

const sameHandler = (a: DialogueHandler, b: DialogueHandler) => JSON.stringify(a) === JSON.stringify(b);

/** The template's own examples of an intent, from what it runs now and its current override. */
export function templateExamples(intent: DialogueIntentView, override: IntentOverride | undefined): string[] {
  const added = new Set(override?.addExamples ?? []);
  return tidy([...intent.examples.filter((e) => !added.has(e)), ...(override?.removeExamples ?? [])]);
}

function withoutEmpty<T extends object>(value: T): T | undefined {
  return Object.values(value).some((v) => v !== undefined) ? value : undefined;
}

function setIntent(
  overrides: DialogueOverrides,
  name: string,
  next: IntentOverride | undefined,
): DialogueOverrides {
  const intents = { ...(overrides.intents ?? {}) };
  if (next) intents[name] = next;
  else delete intents[name];
  const { intents: _drop, ...rest } = overrides;
  return Object.keys(intents).length > 0 ? { ...rest, intents } : rest;
}

/** A template intent edited in the drawer. */
export function editTemplateIntent(
  overrides: DialogueOverrides,
  intent: DialogueIntentView,
  edit: IntentEdit,
): DialogueOverrides {
  const current = overrides.intents?.[intent.name];
  const base = templateExamples(intent, current);
  const examples = tidy(edit.examples);
  const add = examples.filter((e) => !base.includes(e));
  const remove = base.filter((e) => !examples.includes(e));
  // The handler stays overridden once it was; otherwise only a real change overrides it.
  const handler = current?.handler || !sameHandler(edit.handler, intent.handler) ? edit.handler : undefined;
  const next = withoutEmpty<IntentOverride>({
    enabled: current?.enabled === false ? false : undefined,
    addExamples: add.length > 0 ? add : undefined,
    removeExamples: remove.length > 0 ? remove : undefined,
    handler,
  });
  return setIntent(overrides, intent.name, next && JSON.parse(JSON.stringify(next)));
}

export function setIntentEnabled(
  overrides: DialogueOverrides,
  intent: DialogueIntentView,
  enabled: boolean,
): DialogueOverrides {
  if (intent.origin === 'custom')
    return {
      ...overrides,
      customIntents: (overrides.customIntents ?? []).map((c) =>
        c.name === intent.name ? { ...c, enabled } : c,
      ),
    };
  const current = overrides.intents?.[intent.name] ?? {};
  const { enabled: _old, ...rest } = current;
  return setIntent(overrides, intent.name, withoutEmpty(enabled ? rest : { ...rest, enabled: false }));
}

export function resetIntent(overrides: DialogueOverrides, name: string): DialogueOverrides {
  return setIntent(overrides, name, undefined);
}

/** A custom intent added or edited; `previousName` is the one it had (null when new). */
export function upsertCustomIntent(
  overrides: DialogueOverrides,
  previousName: string | null,
  edit: IntentEdit,
): DialogueOverrides {
  const list = overrides.customIntents ?? [];
  const old = list.find((c) => c.name === previousName);
  const entry = {
    name: edit.name.trim(),
    ...(edit.label?.trim() ? { label: edit.label.trim() } : {}),
    ...(edit.description.trim() ? { description: edit.description.trim() } : {}),
    ...(old?.enabled === false ? { enabled: false } : {}),
    examples: tidy(edit.examples),
    handler: edit.handler,
  };
  return {
    ...overrides,
    customIntents: old ? list.map((c) => (c === old ? entry : c)) : [...list, entry],
  };
}

export function deleteCustomIntent(overrides: DialogueOverrides, name: string): DialogueOverrides {
  const customIntents = (overrides.customIntents ?? []).filter((c) => c.name !== name);
  const { customIntents: _drop, ...rest } = overrides;
  return customIntents.length > 0 ? { ...rest, customIntents } : rest;
}

export interface FormEdit {
  slots: { name: string; prompt: string; optional: boolean }[];
  policy: string;
  confirm: string;
  done: string;
}

/** A form edited on the forms tab: the fields that differ from what runs now join its existing override. */
export function editForm(
  overrides: DialogueOverrides,
  form: DialogueFormView,
  edit: FormEdit,
): DialogueOverrides {
  const current: FormOverride = overrides.forms?.[form.id] ?? {};
  const slots = { ...(current.slots ?? {}) };
  for (const slot of edit.slots) {
    const was = form.slots.find((s) => s.name === slot.name);
    if (!was) continue;
    const change = { ...(slots[slot.name] ?? {}) };
    if (slot.prompt !== was.prompt) change.prompt = slot.prompt;
    if (slot.optional !== was.optional) change.optional = slot.optional;
    if (Object.keys(change).length > 0) slots[slot.name] = change;
  }
  const next: FormOverride = {
    ...current,
    ...(Object.keys(slots).length > 0 ? { slots } : {}),
    ...(edit.policy !== (form.policy ?? '') ? { policy: edit.policy } : {}),
    ...(edit.confirm !== (form.confirm ?? '') ? { confirm: edit.confirm } : {}),
    ...(edit.done !== form.done ? { done: edit.done } : {}),
  };
  const forms = { ...(overrides.forms ?? {}) };
  if (Object.keys(next).length > 0) forms[form.id] = next;
  else delete forms[form.id];
  const { forms: _drop, ...rest } = overrides;
  return Object.keys(forms).length > 0 ? { ...rest, forms } : rest;
}

export function resetForm(overrides: DialogueOverrides, id: string): DialogueOverrides {
  const forms = { ...(overrides.forms ?? {}) };
  delete forms[id];
  const { forms: _drop, ...rest } = overrides;
  return Object.keys(forms).length > 0 ? { ...rest, forms } : rest;
}

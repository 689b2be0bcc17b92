// A workspace's own changes to its industry template's dialogue, kept as data beside the template (never a
// copy of it), so a template update still reaches every intent the owner left alone. Applying them is pure:
// the same template and overrides always give the same template, and no overrides give the template itself.
import {
  type BotTemplate,
  type FormSlot,
  type HandlerSpec,
  intentLabelProblem,
  type TemplateForm,
  type TemplateIntent,
} from './template.ts';

export interface IntentOverride {
  enabled?: boolean;
  addExamples?: string[];
  removeExamples?: string[];
  handler?: HandlerSpec;
}

export interface CustomIntent {
  name: string;
  /** The short name people see for it (hand-off cards, routing, analytics). */
  label?: string;
  description?: string;
  enabled?: boolean;
  examples: string[];
  handler: HandlerSpec;
}

export interface SlotOverride {
  prompt?: string;
  optional?: boolean;
}

export interface FormOverride {
  slots?: Record<string, SlotOverride>;
  /** The compliance text the bot states verbatim before a form is confirmed. */
  policy?: string;
  confirm?: string;
  done?: string;
}

export interface DialogueOverrides {
  intents?: Record<string, IntentOverride>;
  customIntents?: CustomIntent[];
  forms?: Record<string, FormOverride>;
}

export interface OverrideProblem {
  /** JSON pointer into the overrides document, e.g. `/forms/refund/policy`. */
  path: string;
  message: string;
}

export type OverridesCheck = { ok: true } | { ok: false; problems: OverrideProblem[] };

export const DIALOGUE_LIMITS = {
  intentName: 48,
  examples: 200,
  exampleLength: 200,
  minExamples: 3,
  customIntents: 100,
  text: 2000,
  policy: 4000,
  reason: 64,
} as const;

export const INTENT_NAME = /^[a-z][a-z0-9_]{1,47}$/;
export const HANDOFF_REASON = /^[a-z][a-z0-9_]{0,63}$/;

const ACTIONS = ['order.lookup', 'ticket.lookup', 'ticket.create', 'callback.create'] as const;

/** What each action's reply template may name, besides the shop's variables and the customer's fields. */
export const ACTION_PLACEHOLDERS: Record<(typeof ACTIONS)[number], readonly string[]> = {
  'order.lookup': [
    'order.number',
    'order.status',
    'order.carrier',
    'order.tracking_number',
    'order.total',
    'order.items',
  ],
  // The list (one line per ticket, in the customer's language) is appended when the reply leaves it out.
  'ticket.lookup': ['tickets.count', 'tickets.list'],
  'ticket.create': ['ticket.number'],
  'callback.create': [],
};

const CUSTOMER_PLACEHOLDERS = ['customer.name', 'customer.phone'];

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

const clean = (examples: readonly string[]) => examples.map((e) => e.trim()).filter((e) => e !== '');

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Every problem with the overrides against this template, each at its field. */
export function checkDialogueOverrides(template: BotTemplate, overrides: DialogueOverrides): OverridesCheck {
  const problems: OverrideProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const variables = (template.variables ?? []).map((v) => v.key);
  const forms = new Map((template.forms ?? []).map((f) => [f.id, f]));
  const intents = new Map(template.intents.map((i) => [i.name, i]));

  const checkText = (path: string, text: string, allowed: readonly string[], max: number) => {
    if (text.trim() === '') add(path, 'must not be empty');
    if (text.length > max) add(path, `at most ${max} characters`);
    const known = new Set([...variables, ...CUSTOMER_PLACEHOLDERS, ...allowed]);
    for (const name of unique(placeholdersIn(text)))
      if (!known.has(name)) add(path, `unknown placeholder {{${name}}}`);
  };

  const checkExamples = (path: string, examples: readonly string[]) => {
    if (examples.length > DIALOGUE_LIMITS.examples) add(path, `at most ${DIALOGUE_LIMITS.examples} examples`);
    examples.forEach((e, i) => {
      if (e.trim() === '') add(`${path}/${i}`, 'must not be empty');
      if (e.length > DIALOGUE_LIMITS.exampleLength)
        add(`${path}/${i}`, `at most ${DIALOGUE_LIMITS.exampleLength} characters`);
    });
  };

  const checkHandler = (path: string, handler: HandlerSpec) => {
    switch (handler.type) {
      case 'reply':
        checkText(`${path}/text`, handler.text, [], DIALOGUE_LIMITS.text);
        return;
      case 'form':
        if (!forms.has(handler.form)) add(`${path}/form`, `unknown form ${handler.form}`);
        return;
      case 'handoff':
        if (!HANDOFF_REASON.test(handler.reason))
          add(`${path}/reason`, 'a code of lower-case letters, digits and underscores');
        if (handler.priority !== undefined && handler.priority !== 'normal' && handler.priority !== 'high')
          add(`${path}/priority`, 'normal or high');
        return;
      case 'action': {
        if (!(ACTIONS as readonly string[]).includes(handler.action)) {
          add(`${path}/action`, `unknown action ${String(handler.action)}`);
          return;
        }
        if (handler.reply !== undefined)
          checkText(
            `${path}/reply`,
            handler.reply,
            ACTION_PLACEHOLDERS[handler.action],
            DIALOGUE_LIMITS.text,
          );
        if (handler.slots?.some((s) => s !== 'order_number'))
          add(`${path}/slots`, 'only order_number can be asked for');
        return;
      }
      default:
        add(`${path}/type`, 'unknown handler type');
    }
  };

  for (const [name, change] of Object.entries(overrides.intents ?? {})) {
    const path = `/intents/${name}`;
    const intent = intents.get(name);
    if (!intent) {
      add(path, `unknown intent ${name}`);
      continue;
    }
    const removed = clean(change.removeExamples ?? []);
    removed.forEach((e, i) => {
      if (!intent.examples.includes(e))
        add(`${path}/removeExamples/${i}`, 'not one of the intent’s examples');
    });
    checkExamples(`${path}/addExamples`, change.addExamples ?? []);
    const remaining = mergeExamples(intent.examples, change);
    if (remaining.length < DIALOGUE_LIMITS.minExamples)
      add(`${path}/removeExamples`, `at least ${DIALOGUE_LIMITS.minExamples} examples must remain`);
    if (change.handler) checkHandler(`${path}/handler`, change.handler);
  }

  const custom = overrides.customIntents ?? [];
  if (custom.length > DIALOGUE_LIMITS.customIntents)
    add('/customIntents', `at most ${DIALOGUE_LIMITS.customIntents} intents`);
  const seen = new Set<string>();
  custom.forEach((intent, i) => {
    const path = `/customIntents/${i}`;
    if (!INTENT_NAME.test(intent.name))
      add(`${path}/name`, 'lower-case letters, digits and underscores, starting with a letter (2–48)');
    else if (intents.has(intent.name)) add(`${path}/name`, 'the template already has an intent of this name');
    else if (seen.has(intent.name)) add(`${path}/name`, 'duplicate intent name');
    seen.add(intent.name);
    if (intent.label !== undefined) {
      const problem = intentLabelProblem(intent.label);
      if (problem) add(`${path}/label`, problem);
    }
    if (intent.description !== undefined && intent.description.length > DIALOGUE_LIMITS.exampleLength)
      add(`${path}/description`, `at most ${DIALOGUE_LIMITS.exampleLength} characters`);
    checkExamples(`${path}/examples`, intent.examples);
    if (unique(clean(intent.examples)).length < DIALOGUE_LIMITS.minExamples)
      add(`${path}/examples`, `at least ${DIALOGUE_LIMITS.minExamples} different examples`);
    checkHandler(`${path}/handler`, intent.handler);
  });

  for (const [id, change] of Object.entries(overrides.forms ?? {})) {
    const path = `/forms/${id}`;
    const form = forms.get(id);
    if (!form) {
      add(path, `unknown form ${id}`);
      continue;
    }
    const slotValues = form.slots.map((s) => `slots.${s.name}`);
    for (const [slot, slotChange] of Object.entries(change.slots ?? {})) {
      if (!form.slots.some((s) => s.name === slot)) {
        add(`${path}/slots/${slot}`, `unknown slot ${slot}`);
        continue;
      }
      if (slotChange.prompt !== undefined)
        checkText(`${path}/slots/${slot}/prompt`, slotChange.prompt, [], DIALOGUE_LIMITS.text);
    }
    if (change.policy !== undefined)
      checkText(`${path}/policy`, change.policy, slotValues, DIALOGUE_LIMITS.policy);
    if (change.confirm !== undefined)
      checkText(`${path}/confirm`, change.confirm, slotValues, DIALOGUE_LIMITS.text);
    if (change.done !== undefined)
      checkText(
        `${path}/done`,
        change.done,
        [...slotValues, form.submit.action === 'callback.create' ? 'callback.number' : 'ticket.number'],
        DIALOGUE_LIMITS.text,
      );
  }

  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

function mergeExamples(examples: readonly string[], change: IntentOverride): string[] {
  const removed = new Set(clean(change.removeExamples ?? []));
  return unique([...examples.filter((e) => !removed.has(e)), ...clean(change.addExamples ?? [])]);
}

function applyForm(form: TemplateForm, change: FormOverride | undefined): TemplateForm {
  if (!change) return form;
  const slots = form.slots.map((slot): FormSlot => {
    const c = change.slots?.[slot.name];
    if (!c) return slot;
    return {
      ...slot,
      ...(c.prompt !== undefined ? { prompt: c.prompt } : {}),
      ...(c.optional !== undefined ? { optional: c.optional } : {}),
    };
  });
  return {
    ...form,
    slots,
    ...(change.policy !== undefined ? { policy: change.policy } : {}),
    ...(change.confirm !== undefined ? { confirm: change.confirm } : {}),
    ...(change.done !== undefined ? { done: change.done } : {}),
  };
}

/**
 * The template as the workspace's bot should run it. Throws on overrides that do not check out against this
 * template (the API refuses them before they are stored; a template that changed underneath is the case left).
 */
export function applyDialogueOverrides(
  template: BotTemplate,
  overrides: DialogueOverrides | null,
): BotTemplate {
  if (!overrides) return template;
  const check = checkDialogueOverrides(template, overrides);
  if (!check.ok)
    throw new Error(
      `dialogue overrides do not fit template ${template.id}: ${check.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    );
  const intents: TemplateIntent[] = [];
  for (const intent of template.intents) {
    const change = overrides.intents?.[intent.name];
    if (!change) {
      intents.push(intent);
      continue;
    }
    if (change.enabled === false) continue;
    intents.push({
      ...intent,
      examples: mergeExamples(intent.examples, change),
      handler: change.handler ?? intent.handler,
    });
  }
  for (const intent of overrides.customIntents ?? []) {
    if (intent.enabled === false) continue;
    intents.push({
      name: intent.name,
      ...(intent.label ? { label: intent.label } : {}),
      ...(intent.description ? { description: intent.description } : {}),
      examples: unique(clean(intent.examples)),
      handler: intent.handler,
    });
  }
  return {
    ...template,
    intents,
    ...(template.forms ? { forms: template.forms.map((f) => applyForm(f, overrides.forms?.[f.id])) } : {}),
  };
}

export type DialogueOrigin = 'template' | 'overridden' | 'custom';

export interface EffectiveIntent {
  name: string;
  label: string | null;
  description: string | null;
  origin: DialogueOrigin;
  enabled: boolean;
  examples: string[];
  handler: HandlerSpec;
}

export interface EffectiveForm {
  id: string;
  origin: DialogueOrigin;
  slots: { name: string; entity: string | null; prompt: string; optional: boolean }[];
  policy: string | null;
  confirm: string | null;
  done: string;
  submit: TemplateForm['submit'];
}

export interface EffectiveDialogue {
  intents: EffectiveIntent[];
  forms: EffectiveForm[];
}

/** What the editor shows: every intent and form as it runs, disabled ones included, marked by origin. */
export function effectiveDialogue(
  template: BotTemplate,
  overrides: DialogueOverrides | null,
): EffectiveDialogue {
  const intents: EffectiveIntent[] = template.intents.map((intent) => {
    const change = overrides?.intents?.[intent.name];
    return {
      name: intent.name,
      label: intent.label ?? null,
      description: intent.description ?? null,
      origin: change ? 'overridden' : 'template',
      enabled: change?.enabled !== false,
      examples: change ? mergeExamples(intent.examples, change) : [...intent.examples],
      handler: change?.handler ?? intent.handler,
    };
  });
  for (const intent of overrides?.customIntents ?? [])
    intents.push({
      name: intent.name,
      label: intent.label ?? null,
      description: intent.description ?? null,
      origin: 'custom',
      enabled: intent.enabled !== false,
      examples: unique(clean(intent.examples)),
      handler: intent.handler,
    });
  const forms = (template.forms ?? []).map((f): EffectiveForm => {
    const change = overrides?.forms?.[f.id];
    const form = applyForm(f, change);
    return {
      id: form.id,
      origin: change ? 'overridden' : 'template',
      slots: form.slots.map((s) => ({
        name: s.name,
        entity: s.entity ?? null,
        prompt: s.prompt,
        optional: s.optional === true,
      })),
      policy: form.policy ?? null,
      confirm: form.confirm ?? null,
      done: form.done,
      submit: form.submit,
    };
  });
  return { intents, forms };
}

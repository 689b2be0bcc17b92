// Slot-filling forms: prefill from the conversation and the customer record, ask for what is missing,
// validate entity slots with the NLU extractor, state the policy verbatim, confirm, submit as a ticket.
import { customerValues, entityValue, say, type TurnContext } from './context.ts';
import { escalate } from './escalation.ts';
import type { FormSlot, TemplateForm } from './template.ts';
import { fillPlaceholders, isNo, isYes } from './text.ts';

const MAX_ATTEMPTS = 2;

/** A value the conversation or the customer record already holds for a slot. */
function known(ctx: TurnContext, slot: FormSlot): string | undefined {
  const memory = ctx.state.memory;
  const fromMemory = memory[slot.name] ?? (slot.entity ? memory[slot.entity] : undefined);
  if (fromMemory) return fromMemory;
  const customer = ctx.input.customer;
  if ((slot.entity === 'phone' || slot.name === 'phone') && customer.phone) return customer.phone;
  if (slot.name === 'name' && customer.name) return customer.name;
  return undefined;
}

/**
 * A slot that takes the photos (or PDFs) the customer sends: `entity: "attachment"`, or a slot named
 * `photo`/`photos` as the templates write it. Its value is the attachment ids, comma-separated, so the
 * ticket's fields point at the stored files.
 */
export const isAttachmentSlot = (slot: FormSlot): boolean =>
  slot.entity === 'attachment' || /^photos?$/i.test(slot.name);

/** The ids of the files sent with this message, added to those the slot already holds. */
function withAttachments(ctx: TurnContext, previous: string | undefined): string | undefined {
  const ids = (ctx.input.attachments ?? []).map((a) => a.id);
  if (ids.length === 0) return undefined;
  const held = previous ? previous.split(',').filter(Boolean) : [];
  return [...new Set([...held, ...ids])].join(',');
}

export async function startForm(ctx: TurnContext, formId: string): Promise<void> {
  const form = ctx.bot.forms.get(formId);
  if (!form) {
    await escalate(ctx, `missing_form:${formId}`, 'normal');
    return;
  }
  const values: Record<string, string> = {};
  for (const slot of form.slots) {
    const value = isAttachmentSlot(slot) ? withAttachments(ctx, undefined) : known(ctx, slot);
    if (value !== undefined) values[slot.name] = value;
  }
  ctx.state.pending = { kind: 'form', form: formId, values, awaiting: null, attempts: 0 };
  await advance(ctx, form);
}

/**
 * Reads the customer's answer to the slot or confirmation the form is waiting on. `sideQuestion` is a
 * knowledge-base answer for a confident question asked instead of an entity slot's value: it is
 * answered and the slot asked again, without counting as a failed attempt.
 */
export async function continueForm(ctx: TurnContext, sideQuestion?: string): Promise<void> {
  const pending = ctx.state.pending;
  if (pending?.kind !== 'form') return;
  const form = ctx.bot.forms.get(pending.form);
  if (!form) {
    ctx.state.pending = null;
    return;
  }
  const text = ctx.input.text.trim();
  // A photo fills the form's photo slot whatever the form is waiting on; sent alone while another slot
  // is awaited, that slot is asked again without counting a failed attempt.
  const photoSlot = form.slots.find(isAttachmentSlot);
  const photos = photoSlot ? withAttachments(ctx, pending.values[photoSlot.name]) : undefined;
  if (photoSlot && photos) {
    pending.values[photoSlot.name] = photos;
    if (pending.awaiting === photoSlot.name) {
      pending.attempts = 0;
      return advance(ctx, form);
    }
    if (text === '') {
      const awaited = form.slots.find((s) => s.name === pending.awaiting);
      say(ctx, awaited ? awaited.prompt : ctx.bot.phrases.confirmYesNo, awaited ? 'ask' : 'confirm');
      return;
    }
  }
  if (pending.awaiting === null) {
    if (isYes(text)) return submit(ctx, form);
    if (isNo(text)) {
      ctx.state.pending = null;
      say(ctx, ctx.bot.phrases.formCancelled, 'info');
      return;
    }
    say(ctx, ctx.bot.phrases.confirmYesNo, 'confirm');
    return;
  }
  const slot = form.slots.find((s) => s.name === pending.awaiting);
  if (!slot) {
    pending.awaiting = null;
    return advance(ctx, form);
  }
  if (isCancel(text)) {
    ctx.state.pending = null;
    say(ctx, ctx.bot.phrases.formCancelled, 'info');
    return;
  }
  const value = readSlot(ctx, slot, text);
  if (value === null && sideQuestion !== undefined) {
    say(ctx, sideQuestion, 'answer');
    say(ctx, slot.prompt, 'ask');
    return;
  }
  if (value === null) {
    pending.attempts += 1;
    if (pending.attempts >= MAX_ATTEMPTS) return escalate(ctx, `form_failed:${form.id}`, 'normal');
    say(ctx, ctx.bot.phrases.invalidSlot(slot.prompt), 'ask');
    return;
  }
  pending.attempts = 0;
  pending.values[slot.name] = value;
  if (value !== '') ctx.state.memory[slot.name] = value;
  // An answer may carry other slots too ("订单 A123456789，尺码小了").
  for (const other of form.slots) {
    if (other.entity && pending.values[other.name] === undefined) {
      const v = entityValue(ctx, other.entity);
      if (v) pending.values[other.name] = v;
    }
  }
  await advance(ctx, form);
}

const CANCEL = /^(?:取消|算了|不办了|不退了|不换了|cancel|stop|never ?mind)[!.。！]*$/i;

function isCancel(text: string): boolean {
  return CANCEL.test(text);
}

/** The slot's value from the answer, '' for a skipped optional slot, null when it does not validate. */
function readSlot(ctx: TurnContext, slot: FormSlot, text: string): string | null {
  if (slot.optional && ctx.bot.phrases.skipWords.includes(text.toLowerCase().replace(/[!.。！]+$/, '')))
    return '';
  if (slot.entity) return entityValue(ctx, slot.entity);
  return text === '' ? null : text;
}

async function advance(ctx: TurnContext, form: TemplateForm): Promise<void> {
  const pending = ctx.state.pending;
  if (pending?.kind !== 'form') return;
  const next = form.slots.find((s) => pending.values[s.name] === undefined);
  if (next) {
    pending.awaiting = next.name;
    say(ctx, next.prompt, 'ask');
    return;
  }
  pending.awaiting = null;
  const values = slotValues(ctx, pending.values);
  if (form.policy) say(ctx, fillPlaceholders(form.policy, values), 'info');
  if (form.confirm) {
    say(ctx, `${fillPlaceholders(form.confirm, values)}\n${ctx.bot.phrases.confirmYesNo}`, 'confirm');
    return;
  }
  await submit(ctx, form);
}

function slotValues(ctx: TurnContext, values: Record<string, string>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...customerValues(ctx) };
  for (const [k, v] of Object.entries(values))
    out[`slots.${k}`] = v === '' ? ctx.bot.phrases.notAvailable : v;
  return out;
}

async function submit(ctx: TurnContext, form: TemplateForm): Promise<void> {
  const pending = ctx.state.pending;
  if (pending?.kind !== 'form') return;
  const fields = Object.fromEntries(Object.entries(pending.values).filter(([, v]) => v !== ''));
  const values = slotValues(ctx, pending.values);
  ctx.state.pending = null;
  if (form.submit.action === 'callback.create') {
    const phone = fields.phone ?? ctx.state.memory.phone ?? ctx.input.customer.phone ?? '';
    const note = Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    const { number } = await ctx.ports.createCallback({ phone, note, customerId: ctx.input.customer.id });
    say(
      ctx,
      fillPlaceholders(form.done, { ...values, 'ticket.number': number, 'callback.number': number }),
      'info',
    );
    return;
  }
  const { category, priority, subject } = form.submit;
  const { number } = await ctx.ports.createTicket({
    type: form.submit.ticketType ?? form.id,
    fields,
    customerId: ctx.input.customer.id,
    ...(category ? { category } : {}),
    ...(priority ? { priority } : {}),
    ...(subject ? { subject: fillPlaceholders(subject, values) } : {}),
  });
  say(ctx, fillPlaceholders(form.done, { ...values, 'ticket.number': number }), 'info');
}

// The industry template file format (templates/README.md) as types: what compileBot reads.
import type { HandoffExample } from './handoffReading.ts';

export interface TemplateVariable {
  key: string;
  label?: string;
  default?: string;
}

export interface TemplateFaq {
  id: string;
  question: string;
  similar?: string[];
  answer: string;
  keywords?: string[];
  tags?: string[];
  enabled?: boolean;
}

export type HandlerSpec =
  | {
      type: 'action';
      action: 'order.lookup' | 'ticket.lookup' | 'ticket.create' | 'callback.create';
      slots?: string[];
      reply?: string;
      verify?: 'phone_last4';
    }
  | { type: 'form'; form: string }
  | { type: 'handoff'; reason: string; priority?: 'normal' | 'high' }
  | { type: 'reply'; text: string };

export interface TemplateIntent {
  name: string;
  /**
   * The intent's short business name for people (订单查询, Refund request): what hand-off cards, the
   * customer history, routing and analytics show. At most INTENT_LABEL_MAX characters.
   */
  label?: string;
  description?: string;
  examples: string[];
  handler: HandlerSpec;
}

export interface FormSlot {
  name: string;
  /** NLU entity type that validates the slot (`order_number`, `phone`, `email`, `date`…). */
  entity?: string;
  prompt: string;
  optional?: boolean;
}

export interface TemplateForm {
  id: string;
  slots: FormSlot[];
  policy?: string;
  confirm?: string;
  submit: {
    action: 'ticket.create' | 'callback.create';
    ticketType?: string;
    /** The ticket's category and priority (assignment rules and SLA policies match on them). */
    category?: string;
    priority?: 'low' | 'normal' | 'high' | 'urgent';
    /** The ticket's subject, with the form's placeholders ({{slots.order_number}}). */
    subject?: string;
  };
  done: string;
}

export interface BotTemplate {
  id: string;
  locale: string;
  name?: string;
  description?: string;
  variables?: TemplateVariable[];
  faqs: TemplateFaq[];
  intents: TemplateIntent[];
  forms?: TemplateForm[];
  synonyms?: string[][];
  /**
   * Questions customers of this industry ask that its bot cannot answer (B2B supply, franchising, custom
   * work, press, jobs, advice that needs a person), trained as out of scope next to the generic ones so
   * they reach people instead of the nearest FAQ.
   */
  outOfScope?: string[];
  /**
   * Kinds of request this industry's bot must leave to people however close their wording comes to an
   * FAQ, as case-insensitive regular expressions over the normalised (simplified, lower-case) message:
   * a topic, not a phrasing ("加盟|招商|经销", "帮我(?:推荐|挑|搭配)"). Examples teach the classifier
   * what out of scope sounds like; a cue states what it is about, so unseen phrasings of a business
   * enquiry or a request for personal advice do not land on the nearest FAQ (bulk-order, size guide…).
   */
  outOfScopeCues?: string[];
  /**
   * Customers' first messages labelled as the shop reads them — `routine` (the bot's to answer),
   * `person` (a person's: asks for one, or asks what the bot cannot answer) or `complaint` — which
   * train the hand-off model (see handoffReading.ts). Kept in `escalation.<locale>.jsonl` beside the
   * template file; absent, the rules alone decide.
   */
  escalation?: HandoffExample[];
}

/** Labels are names, not sentences: they sit in chips, selects and table cells. */
export const INTENT_LABEL_MAX = 16;

/** Why a label cannot be an intent's name, or null when it can (counted in code points, so 16 Hanzi fit). */
export function intentLabelProblem(label: string): string | null {
  if (label.trim() === '' || label.trim() !== label)
    return 'a label is non-empty, without surrounding spaces';
  if ([...label].length > INTENT_LABEL_MAX) return `at most ${INTENT_LABEL_MAX} characters`;
  return null;
}

/**
 * What people call an intent: its label, else its description, else its first example (a customer's
 * wording, the last resort because it reads like a quote, not a name).
 */
export function intentDisplayName(
  intent: Pick<TemplateIntent, 'label' | 'description' | 'examples'>,
): string | null {
  return intent.label ?? intent.description ?? intent.examples[0] ?? null;
}

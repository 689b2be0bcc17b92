// Reply templates (canned replies): the shop's ready-made answers an agent inserts with `/shortcut`,
// what storage offers for them, and the checks every create and edit passes.
import type { Locale } from '../model.ts';
import { placeholdersIn, REPLY_VARIABLES } from './fillReplyVariables.ts';

export interface ReplyTemplate {
  id: string;
  /** Lower-case `[a-z0-9_-]{1,32}`; unique among the workspace's live templates. */
  shortcut: string;
  title: string;
  /** May hold `{{variables}}` (see REPLY_VARIABLES and the shop's own variables). */
  body: string;
  /** Intent ids of the workspace's bot template it answers; empty = any intent. */
  intents: string[];
  /** Compliance wording (refund time limits, warranty terms): pinned and highlighted when its intent matches. */
  compliance: boolean;
  locale: Locale;
  /** The industry template (`<id>/<locale>`) it was seeded from while nobody has edited it; null otherwise. */
  source: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/** What an admin writes. */
export type ReplyTemplateInput = Pick<
  ReplyTemplate,
  'shortcut' | 'title' | 'body' | 'intents' | 'compliance' | 'locale'
>;

/** A reply as an industry template ships it (templates/<id>/replies.json): its words in each locale. */
export interface TemplateReply {
  shortcut: string;
  title: Record<Locale, string>;
  body: Record<Locale, string>;
  intents: string[];
  compliance: boolean;
}

export interface TemplateReplies {
  replies: TemplateReply[];
}

export const REPLY_LIMITS = { shortcut: 32, title: 80, body: 2000, intents: 50 } as const;
export const SHORTCUT_PATTERN = /^[a-z0-9_-]{1,32}$/;
const INTENT_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface ReplyProblem {
  /** The field, as a JSON pointer under the input (`shortcut`, `intents/2`). */
  path: string;
  message: string;
}

export interface ReplyTemplatesRepository {
  /** Live templates ordered by shortcut; with `includeArchived`, archived ones after them. */
  list(options?: { includeArchived?: boolean }): Promise<ReplyTemplate[]>;
  /** Live or archived; null when the workspace has no such template. */
  get(id: string): Promise<ReplyTemplate | null>;
  /** The live template with this shortcut. */
  findByShortcut(shortcut: string): Promise<ReplyTemplate | null>;
  /** Null when a live template holds the shortcut already (also when a concurrent writer took it). */
  create(template: Omit<ReplyTemplate, 'archivedAt' | 'source'>): Promise<ReplyTemplate | null>;
  /**
   * Replaces what an admin edits; the template stops being the industry template's (`source` null).
   * `not_found` for an unknown or archived template, `shortcut_taken` when another live one holds it.
   */
  update(
    id: string,
    input: ReplyTemplateInput,
    at: string,
  ): Promise<ReplyTemplate | 'not_found' | 'shortcut_taken'>;
  /** Archives a live template (its shortcut becomes free); null when unknown or archived already. */
  archive(id: string, at: string): Promise<ReplyTemplate | null>;
  /**
   * Puts an industry template's replies (`key` = `<id>/<locale>`) in place of the previous template's
   * unedited ones; edited and own templates stay, and a shortcut a live template holds is skipped.
   * False (nothing changes) when this key was seeded before.
   */
  seedTemplateReplies(
    key: string,
    replies: readonly Omit<ReplyTemplate, 'archivedAt' | 'source' | 'createdBy'>[],
    at: string,
  ): Promise<boolean>;
}

/** Trims and lower-cases what people type loosely, so checks and storage see one form. */
export function normaliseReplyInput(input: ReplyTemplateInput): ReplyTemplateInput {
  return {
    ...input,
    shortcut: input.shortcut.trim().replace(/^\//, '').toLowerCase(),
    title: input.title.trim(),
    body: input.body.trim(),
    intents: [...new Set(input.intents.map((i) => i.trim()))],
  };
}

/**
 * Every problem with a (normalised) input, each at its field. `knownIntents` are the bot template's
 * intents and `shopVariables` the template's own variable keys; an unknown one is a typo the agent would
 * otherwise only meet as a hole in a sent reply.
 */
export function checkReplyTemplate(
  input: ReplyTemplateInput,
  known: { intents?: ReadonlySet<string>; shopVariables?: readonly string[] } = {},
): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!SHORTCUT_PATTERN.test(input.shortcut))
    add('shortcut', `1–${REPLY_LIMITS.shortcut} of a–z, 0–9, _ and -`);
  if (input.title === '') add('title', 'must not be empty');
  if (input.title.length > REPLY_LIMITS.title) add('title', `at most ${REPLY_LIMITS.title} characters`);
  if (input.body === '') add('body', 'must not be empty');
  if (input.body.length > REPLY_LIMITS.body) add('body', `at most ${REPLY_LIMITS.body} characters`);
  if (input.intents.length > REPLY_LIMITS.intents) add('intents', `at most ${REPLY_LIMITS.intents} intents`);
  input.intents.forEach((intent, i) => {
    if (!INTENT_PATTERN.test(intent)) add(`intents/${i}`, 'not an intent id');
    else if (known.intents && !known.intents.has(intent))
      add(`intents/${i}`, `the bot template has no intent ${intent}`);
  });
  if (input.compliance && input.intents.length === 0)
    add('intents', 'a compliance template names the intents it is pinned for');
  // Without the shop's variable list (no bot set up yet) any name may be one of them.
  if (known.shopVariables) {
    const variables = new Set<string>([...REPLY_VARIABLES, ...known.shopVariables]);
    for (const name of new Set(placeholdersIn(input.body)))
      if (!variables.has(name)) add('body', `unknown variable {{${name}}}`);
  }
  return problems;
}

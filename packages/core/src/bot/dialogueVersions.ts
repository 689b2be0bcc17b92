// The owner's dialogue overrides as numbered versions. The document's shape belongs to the bot package
// and the API contract; here it is opaque JSON, stored and handed back as saved.

export interface DialogueVersion {
  id: string;
  /** 1, 2, 3… per workspace, in the order they were saved. */
  version: number;
  /** The template and locale the document was written against; it applies to those only. */
  templateId: string;
  locale: string;
  document: unknown;
  authorUserId: string | null;
  /** The version a restore copied, null for an ordinary save. */
  restoredFrom: number | null;
  createdAt: string;
}

export type DialogueVersionSummary = Omit<DialogueVersion, 'document'>;

export interface DialogueRepository {
  /** The newest version; null while the workspace runs its template unchanged. */
  current(): Promise<DialogueVersion | null>;
  /** The newest version's number (0 for none): one indexed read, for caches keyed on it. */
  version(): Promise<number>;
  get(id: string): Promise<DialogueVersion | null>;
  /** Newest first. */
  list(limit: number): Promise<DialogueVersionSummary[]>;
  /**
   * Stores the document as version `baseVersion + 1`; null when `baseVersion` is no longer the newest
   * (someone saved in between), so two concurrent saves never both win.
   */
  save(
    input: {
      baseVersion: number;
      templateId: string;
      locale: string;
      document: unknown;
      authorUserId: string | null;
      restoredFrom: number | null;
    },
    at: string,
  ): Promise<DialogueVersion | null>;
}

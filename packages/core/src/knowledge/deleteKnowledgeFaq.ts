// Deleting a FAQ entry; a template entry's id is remembered so later template syncs do not restore it.
import type { WorkspaceStore } from '../ports.ts';
import type { KnowledgeFaq } from './knowledge.ts';

export async function deleteKnowledgeFaq(
  store: WorkspaceStore,
  id: string,
  at: string,
): Promise<KnowledgeFaq | null> {
  return store.transaction(async (tx) => {
    const deleted = await tx.knowledge.faqs.delete(id, at);
    if (deleted?.origin) {
      const state = await tx.knowledge.lockState(at);
      await tx.knowledge.saveTemplateSync(
        { ...state, dismissedOrigins: [...new Set([...state.dismissedOrigins, deleted.origin])] },
        at,
      );
    }
    return deleted;
  });
}

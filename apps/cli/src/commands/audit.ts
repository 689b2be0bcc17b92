// zhike audit verify: walks the hash chain from the last purge checkpoint to the recorded head; exit 1 names
// the first bad row (or the first missing one when the newest rows were deleted).
import { createIdGenerator, systemClock } from '@zhike/core';
import { openDatabase } from '@zhike/db';
import { configOrExit, type Io } from '../main.ts';

export async function auditVerify(io: Io): Promise<number> {
  const config = configOrExit(io);
  if (!config) return 1;
  const db = openDatabase({ url: config.databaseUrl, newId: createIdGenerator(systemClock) });
  try {
    await db.migrate();
    const verdict = await db.audit.verify();
    if (verdict.ok) {
      io.stdout.write(`Audit log intact: ${verdict.count} entries, head ${verdict.head}\n`);
      return 0;
    }
    const what = {
      hash_mismatch: 'the row was edited',
      prev_mismatch: 'a row before it was removed or edited, or rows were reordered',
      seq_gap: 'rows are missing',
      tail_missing: `the newest rows were deleted (the recorded head is seq ${verdict.expectedSeq})`,
      head_mismatch: `the last row is not the recorded head (seq ${verdict.expectedSeq})`,
    }[verdict.reason];
    io.stderr.write(
      `Audit log BROKEN at seq ${verdict.seq ?? '?'}${verdict.id ? ` (id ${verdict.id})` : ''}: ${what} [${verdict.reason}]\n`,
    );
    return 1;
  } finally {
    await db.close();
  }
}

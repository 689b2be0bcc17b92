// zhike keys rotate: a new master key re-wraps every data key; values are not touched and the servers keep
// running (they hold their unwrapped data keys; restart them to pick up the new key file).
import { createIdGenerator, systemClock } from '@zhike/core';
import { openDatabase } from '@zhike/db';
import { generateMasterKey, type MasterKey, masterKey, writeMasterKeyFile } from '@zhike/security';
import { cliActor, recordAudit } from '@zhike/server';
import { configOrExit, type Io } from '../main.ts';

export async function keysRotate(io: Io): Promise<number> {
  const config = configOrExit(io);
  if (!config) return 1;
  const source = config.masterKeySource;
  let keys: MasterKey[];
  if (source.kind === 'file') {
    // New key first, old ones kept until every row is re-wrapped; a crash in between is repaired by
    // running the command again.
    keys = [masterKey(generateMasterKey()), ...config.masterKeys];
    writeMasterKeyFile(
      source.path,
      keys.map((k) => k.key),
    );
  } else {
    if (config.masterKeys.length < 2) {
      io.stderr.write(
        'ZHIKE_MASTER_KEY holds one key. Set ZHIKE_MASTER_KEY="<new>,<old>" and run this again; a fresh key:\n' +
          `${generateMasterKey()}\n`,
      );
      return 2;
    }
    keys = config.masterKeys;
  }
  const newId = createIdGenerator(systemClock);
  const db = openDatabase({ url: config.databaseUrl, newId, masterKeys: keys });
  try {
    await db.migrate();
    const result = await db.keyring!.rotateMasterKey();
    await recordAudit(
      { db, clock: systemClock },
      {
        workspaceId: null,
        actor: cliActor,
        action: 'keys.master_rotated',
        details: { masterKeyId: keys[0]!.id, rewrapped: result.rewrapped, workspaces: result.workspaces },
      },
    );
    if (source.kind === 'file') writeMasterKeyFile(source.path, [keys[0]!.key]);
    io.stdout.write(
      `Re-wrapped ${result.rewrapped} data keys in ${result.workspaces} workspaces under master key ${keys[0]!.id}.\n` +
        (source.kind === 'file'
          ? `${source.path} now holds only the new key; restart the servers to load it.\n`
          : 'Now set ZHIKE_MASTER_KEY to the new key alone and restart the servers.\n'),
    );
    return 0;
  } finally {
    await db.close();
  }
}

// The file store's folders (key prefixes) of encrypted files that database rows point to: what a backup
// carries beside the database, and what a restore puts back, whichever store holds them.
export { SECRET_FILE } from './config.ts';

import { ATTACHMENTS_FOLDER } from './privacy/attachmentFiles.ts';
import { RECORDINGS_FOLDER } from './voice/recording.ts';

export const encryptedFileFolders: readonly string[] = [ATTACHMENTS_FOLDER, RECORDINGS_FOLDER];

// The one file store of an app (and of the backup and restore commands): the data directory, or the
// S3-compatible bucket ZHIKE_FILE_STORE=s3 names. Built once by createApp and passed down.
import { type BlobStore, BlobStoreError, createLocalBlobStore, createS3BlobStore } from '@zhike/providers';
import type { Config } from '../config.ts';

export function createFileStore(config: Pick<Config, 'dataDir' | 'fileStore'>): BlobStore {
  const settings = config.fileStore;
  if (settings.kind === 'local') return createLocalBlobStore(config.dataDir);
  return createS3BlobStore({
    endpoint: settings.endpoint,
    region: settings.region,
    bucket: settings.bucket,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    prefix: settings.prefix,
    forcePathStyle: settings.forcePathStyle,
  });
}

/** Start-up's check: a store that cannot be reached or refuses the credentials stops the server now. */
export async function checkFileStore(store: BlobStore): Promise<void> {
  try {
    await store.check();
  } catch (error) {
    throw new BlobStoreError(
      `The file store (${store.location}) is not usable: ${(error as Error).message}. Check ZHIKE_FILE_STORE and the ZHIKE_S3_* settings.`,
      { cause: error },
    );
  }
}

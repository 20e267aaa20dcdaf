import { join } from "node:path";
import type { Config } from "../config.ts";
import { createLocalBlobStore } from "./local.ts";
import type { BlobStore } from "./types.ts";

export type { BlobStore } from "./types.ts";

/** The deployment's blob store: the local directory `<dataDir>/blobs` (an S3-compatible adapter is future work). */
export function openBlobStore(config: Config): BlobStore {
  return createLocalBlobStore(join(config.dataDir, "blobs"));
}

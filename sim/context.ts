import type { Clock, Scheduler } from "./clock.ts";
import type { ResolvedOptions } from "./options.ts";
import type { Rng } from "./random.ts";
import type { SimState } from "./state.ts";
import type { UploadSession } from "./graph/uploads.ts";
import type { WebhookDispatcher } from "./webhooks/dispatcher.ts";
import type { TemplateReviewOutcome } from "./webhooks/payloads.ts";

// What every handler needs, passed explicitly.
export type SimContext = {
  state: SimState;
  options: ResolvedOptions;
  clock: Clock;
  scheduler: Scheduler;
  rng: Rng;
  dispatcher: WebhookDispatcher;
  // Keys the HMAC in media download URLs so they cannot be forged or extended.
  urlSigningKey: Buffer;
  templateOutcomes: Map<string, TemplateReviewOutcome>;
  // Resumable Upload API sessions by id ("upload:…"), and the handles they produced.
  uploads: Map<string, UploadSession>;
  uploadHandles: Map<string, { fileType: string }>;
  publicUrl(): string;
};

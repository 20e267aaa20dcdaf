import type { Services } from "../services.ts";
import type { Governor } from "../whatsapp/governor/types.ts";

/** What the composition root (src/app.ts) hands every job definition's handler factory. */
export type JobDependencies = {
  services: Services;
  /** The per-number send budget, shared by the worker's send jobs. */
  governor: Governor;
};

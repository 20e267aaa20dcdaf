import type { DispatcherOptions, RetryPolicy } from "./webhooks/dispatcher.ts";
import type { ThroughputTier } from "./state.ts";

export type PhoneNumberOption = { id: string; displayPhoneNumber: string; verifiedName?: string; throughput?: ThroughputTier };

export type StatusTiming = {
  // Delay after acceptance for each status webhook; null = only when advanced through the control API.
  sentMs: number | null;
  deliveredMs: number | null;
  readMs: number | null;
};

export type SimulatorOptions = {
  appId?: string;
  appSecret?: string;
  wabaId?: string;
  phoneNumbers?: PhoneNumberOption[];
  // A never-expiring system-user token created at start (the sandbox credential).
  accessToken?: string;
  webhookUrl?: string;
  // When set, every /_sim control request must carry `Authorization: Bearer <controlToken>`; an
  // embedding platform sets a random one so no other local process can drive its simulator.
  controlToken?: string;
  host?: string;
  // Base URL clients reach the simulator on; defaults to http://<host>:<port> after listen().
  publicUrl?: string;
  clock?: "real" | { manualStartMs: number };
  seed?: number;
  // Graph version whose webhook shapes are produced (v24+ omits `conversation`).
  webhookApiVersion?: number;
  includeUserIds?: boolean;
  statusTiming?: Partial<StatusTiming>;
  webhooks?: Partial<Omit<DispatcherOptions, "retry">> & { retry?: Partial<RetryPolicy> };
  pairRateLimit?: { intervalMs?: number; burst?: number };
  // Meta reports 131047 both in the response and as a failed status; pick which one to simulate.
  reengagementErrorMode?: "sync" | "async";
  mediaUrlTtlMs?: number;
  templateReviewDelayMs?: number;
  // Templates one WABA may hold: 250 while the business portfolio is unverified (the default); up
  // to 6,000 once it is verified with an approved display name (reference §8).
  templatesPerWaba?: number;
  // Business Management API requests per hour per app per WABA (reference §7): 200, or 5,000 while
  // the WABA has at least one registered number.
  businessManagementRateLimit?: { perHour?: number; activePerHour?: number };
  allowedRecipients?: string[];
};

export type ResolvedOptions = {
  appId: string;
  appSecret: string;
  wabaId: string;
  phoneNumbers: Required<PhoneNumberOption>[];
  accessToken: string | undefined;
  webhookUrl: string | undefined;
  controlToken: string | undefined;
  host: string;
  publicUrl: string | undefined;
  clock: "real" | { manualStartMs: number };
  seed: number;
  webhookApiVersion: number;
  includeUserIds: boolean;
  statusTiming: StatusTiming;
  webhooks: DispatcherOptions;
  pairRateLimit: { intervalMs: number; burst: number };
  reengagementErrorMode: "sync" | "async";
  mediaUrlTtlMs: number;
  templateReviewDelayMs: number;
  templatesPerWaba: number;
  businessManagementRateLimit: { perHour: number; activePerHour: number };
  allowedRecipients: string[] | undefined;
};

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const MEDIA_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
export const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  return {
    appId: options.appId ?? "1207442180611984",
    appSecret: options.appSecret ?? "sandbox-app-secret",
    wabaId: options.wabaId ?? "102290129340398",
    phoneNumbers: (options.phoneNumbers ?? [{ id: "106540352242922", displayPhoneNumber: "15550783881" }]).map((p) => ({
      id: p.id,
      displayPhoneNumber: p.displayPhoneNumber,
      verifiedName: p.verifiedName ?? "Parley Sandbox",
      throughput: p.throughput ?? 80,
    })),
    accessToken: options.accessToken,
    webhookUrl: options.webhookUrl,
    controlToken: options.controlToken,
    host: options.host ?? "127.0.0.1",
    publicUrl: options.publicUrl,
    clock: options.clock ?? "real",
    seed: options.seed ?? 1,
    webhookApiVersion: options.webhookApiVersion ?? 25,
    includeUserIds: options.includeUserIds ?? false,
    statusTiming: { sentMs: 50, deliveredMs: 200, readMs: 1000, ...options.statusTiming },
    webhooks: {
      batchWindowMs: options.webhooks?.batchWindowMs ?? 0,
      maxChangesPerPost: options.webhooks?.maxChangesPerPost ?? 1000,
      requestTimeoutMs: options.webhooks?.requestTimeoutMs ?? 10_000,
      sendSha1Signature: options.webhooks?.sendSha1Signature ?? false,
      retry: {
        firstDelayMs: 0,
        initialDelayMs: 5_000,
        factor: 3,
        maxDelayMs: 6 * 60 * 60 * 1000,
        windowMs: SEVEN_DAYS_MS,
        ...options.webhooks?.retry,
      },
    },
    pairRateLimit: { intervalMs: options.pairRateLimit?.intervalMs ?? 6_000, burst: options.pairRateLimit?.burst ?? 45 },
    reengagementErrorMode: options.reengagementErrorMode ?? "sync",
    mediaUrlTtlMs: options.mediaUrlTtlMs ?? 5 * 60 * 1000,
    templateReviewDelayMs: options.templateReviewDelayMs ?? 1_000,
    templatesPerWaba: options.templatesPerWaba ?? 250,
    businessManagementRateLimit: {
      perHour: options.businessManagementRateLimit?.perHour ?? 200,
      activePerHour: options.businessManagementRateLimit?.activePerHour ?? 5_000,
    },
    allowedRecipients: options.allowedRecipients,
  };
}

import { QueryClient, useInfiniteQuery, useQuery, useQueryClient, type InfiniteData, type QueryKey } from "@tanstack/react-query";
import { describeError } from "./api.ts";

// Server state: every list and detail the screens read is a query under a key from `queryKeys`.
// Live events (./events.ts) invalidate the keys they touch; a query refetches only while a screen
// shows it, and an answer for a key nobody shows any more is dropped by the cache, not by hand.

/** Keys start with the workspace, so leaving a workspace or a resync can drop everything under it at once. */
export const queryKeys = {
  workspace: (workspaceId: string) => ["workspace", workspaceId] as const,
  workspaceName: (workspaceId: string) => ["workspace", workspaceId, "name"] as const,
  members: (workspaceId: string) => ["workspace", workspaceId, "members"] as const,
  invitations: (workspaceId: string) => ["workspace", workspaceId, "invitations"] as const,
  apiKeys: (workspaceId: string) => ["workspace", workspaceId, "api-keys"] as const,
  webhooks: (workspaceId: string) => ["workspace", workspaceId, "webhooks"] as const,
  webhookDeliveries: (workspaceId: string, endpointId: string) => ["workspace", workspaceId, "webhooks", endpointId, "deliveries"] as const,
  numbers: (workspaceId: string) => ["workspace", workspaceId, "numbers"] as const,
  numberEvents: (workspaceId: string, numberId: string, limit: number) =>
    ["workspace", workspaceId, "numbers", numberId, "events", limit] as const,
  securityPolicy: (workspaceId: string) => ["workspace", workspaceId, "security-policy"] as const,
  retentionPolicy: (workspaceId: string) => ["workspace", workspaceId, "retention-policy"] as const,
  privacyRequests: (workspaceId: string) => ["workspace", workspaceId, "privacy-requests"] as const,
  privacyContacts: (workspaceId: string) => ["workspace", workspaceId, "privacy-requests", "contacts"] as const,
  contactTrash: (workspaceId: string) => ["workspace", workspaceId, "contacts", "trash"] as const,
  blockedAddresses: (workspaceId: string) => ["workspace", workspaceId, "blocked-addresses"] as const,
  analytics: (workspaceId: string) => ["workspace", workspaceId, "analytics"] as const,
  audit: (workspaceId: string, filters: Record<string, string>) => ["workspace", workspaceId, "audit", "entries", filters] as const,
  auditVerification: (workspaceId: string) => ["workspace", workspaceId, "audit", "verification"] as const,
  accessLog: (workspaceId: string, filters: Record<string, string>) => ["workspace", workspaceId, "audit", "access", filters] as const,
  contactList: (workspaceId: string, filters: Record<string, string>) => ["workspace", workspaceId, "contacts", "list", filters] as const,
  conversations: (workspaceId: string) => ["workspace", workspaceId, "conversations"] as const,
  conversationList: (workspaceId: string, query: string) => ["workspace", workspaceId, "conversations", "list", query] as const,
  conversation: (workspaceId: string, conversationId: string) =>
    ["workspace", workspaceId, "conversations", "one", conversationId] as const,
  notes: (workspaceId: string, conversationId: string) =>
    ["workspace", workspaceId, "conversations", "one", conversationId, "notes"] as const,
  templates: (workspaceId: string, numberId: string) => ["workspace", workspaceId, "templates", numberId] as const,
  quickReplies: (workspaceId: string) => ["workspace", workspaceId, "quick-replies"] as const,
  contacts: (workspaceId: string) => ["workspace", workspaceId, "contacts"] as const,
  contact: (workspaceId: string, contactId: string) => ["workspace", workspaceId, "contacts", "one", contactId] as const,
  sandboxMessages: (workspaceId: string, numberId: string, phone: string) =>
    ["workspace", workspaceId, "numbers", numberId, "sandbox", phone] as const,
  plan: (workspaceId: string) => ["workspace", workspaceId, "plan"] as const,
  templateLibrary: (workspaceId: string) => ["workspace", workspaceId, "templates", "library"] as const,
  broadcasts: (workspaceId: string) => ["workspace", workspaceId, "broadcasts"] as const,
  broadcast: (workspaceId: string, broadcastId: string) => ["workspace", workspaceId, "broadcasts", "one", broadcastId] as const,
  broadcastReport: (workspaceId: string, broadcastId: string) =>
    ["workspace", workspaceId, "broadcasts", "one", broadcastId, "report"] as const,
  numberHealth: (workspaceId: string) => ["workspace", workspaceId, "numbers", "health"] as const,
  numberProfile: (workspaceId: string, numberId: string) => ["workspace", workspaceId, "numbers", numberId, "profile"] as const,
  contactConsent: (workspaceId: string, contactId: string) => ["workspace", workspaceId, "contacts", "one", contactId, "consent"] as const,
  consentKeywords: (workspaceId: string) => ["workspace", workspaceId, "consent-keywords"] as const,
  embeddedSignup: (workspaceId: string) => ["workspace", workspaceId, "numbers", "embedded-signup"] as const,
};

/**
 * One client per page. No retries and no refetch on focus: a refusal or a failure is said at once,
 * in words, as before; live events keep the screens current instead of polling on focus.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false }, mutations: { retry: false } },
  });
}

export type Loaded<T> = { data: T | null; error: string | null; isFetching: boolean; reload(): Promise<void> };

/** A query shaped for the screens: data or null while loading, the failure in words, and a reload. */
export function useApiQuery<T>(
  queryKey: QueryKey,
  load: () => Promise<T>,
  options: { enabled?: boolean; describe?: (error: unknown) => string } = {},
): Loaded<T> {
  const query = useQuery({ queryKey, queryFn: load, enabled: options.enabled ?? true });
  return {
    data: query.data ?? null,
    error: query.error ? (options.describe ?? describeError)(query.error) : null,
    isFetching: query.isFetching,
    reload: async () => {
      await query.refetch();
    },
  };
}

export type Paged<T> = {
  items: T[] | null;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): Promise<void>;
  reload(): Promise<void>;
  update(change: (items: T[]) => T[]): void;
};

/**
 * A list read page by page with the API's cursor. A new key (other filters) starts from the first
 * page; a reload refetches the pages shown. `update` edits the cached rows after a write the
 * screen already has the answer to.
 */
export function useApiPages<T>(
  queryKey: QueryKey,
  loadPage: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
  describe: (error: unknown) => string = describeError,
): Paged<T> {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => loadPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A list nobody shows any more (other filters now) is dropped at once: coming back to it starts
    // again from its first page, as a fresh search would, not with every page loaded before.
    gcTime: 0,
  });
  return {
    items: query.data ? query.data.pages.flatMap((page) => page.items) : null,
    error: query.error ? describe(query.error) : null,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMore: async () => {
      await query.fetchNextPage();
    },
    reload: async () => {
      await query.refetch();
    },
    update: (change) =>
      queryClient.setQueryData<InfiniteData<{ items: T[]; nextCursor: string | null }, string | null>>(queryKey, (current) => {
        if (!current) return current;
        const [first, ...rest] = current.pages;
        if (!first) return current;
        // Edits land on the first page: the rows shown are one list, whichever page brought them.
        const all = change(current.pages.flatMap((page) => page.items));
        const restCount = rest.reduce((sum, page) => sum + page.items.length, 0);
        const firstItems = all.slice(0, Math.max(0, all.length - restCount));
        let at = firstItems.length;
        return {
          ...current,
          pages: [
            { ...first, items: firstItems },
            ...rest.map((page) => {
              const items = all.slice(at, at + page.items.length);
              at += page.items.length;
              return { ...page, items };
            }),
          ],
        };
      }),
  };
}

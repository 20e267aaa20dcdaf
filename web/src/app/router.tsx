import {
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  useNavigate,
  useParams,
  useRouterState,
  useSearch,
} from "@tanstack/react-router";
import { useCallback, useEffect } from "react";
import { AcceptInvitationScreen } from "../features/auth/invitation-screen.tsx";
import { SetupScreen } from "../features/auth/auth-screens.tsx";
import { ContactsScreen } from "../features/contacts/contacts.tsx";
import { filtersFromSearch, validateInboxSearch, type InboxSearch } from "../features/inbox/inbox-filters.ts";
import { InboxScreen } from "../features/inbox/inbox.tsx";
import { BroadcastsScreen } from "../features/broadcasts/broadcasts.tsx";
import { OverviewScreen } from "../features/overview/overview.tsx";
import { SettingsScreen } from "../features/settings/settings.tsx";
import { TemplatesScreen } from "../features/templates/templates.tsx";
import { App } from "./app.tsx";
import { useSession, useWorkspace, WorkspaceContext, type WorkspaceSession } from "./session.tsx";
import { sectionsFor } from "./shell.tsx";

// The dashboard's addresses, as a typed route tree (TanStack Router, declared in code):
//
//   /                 /login            → the first workspace once signed in (app.tsx)
//   /setup            /invitation       → work without a session
//   /w/<workspace>                      → the inbox, filters as search params (?view&number&status&tag&q)
//   /w/<workspace>/c/<conversation>     → the inbox with a conversation open (the same filters)
//   /w/<workspace>/contacts[/<contact> | /new]
//   /w/<workspace>/templates[/<template> | /new]
//   /w/<workspace>/broadcasts[/<broadcast> | /new]
//   /w/<workspace>/overview
//   /w/<workspace>/settings[/<section>]
//
// Anything else keeps what the dashboard has always done: signed out, the sign-in page at that
// address; signed in, outside /w/ the first workspace, inside it that workspace's first section. A
// section the role may not open shows the first it may (the API refuses the others anyway).

const ID_SHAPE = /^[0-9a-f-]{36}$/;

/**
 * Search params are plain `key=value` pairs, read and written with URLSearchParams, so an address
 * reads as typed (the router's default would JSON-encode a value that looks like a number, such as
 * a phone number searched for). A key given twice counts once, its first value.
 */
function parseSearch(text: string): Record<string, string> {
  const search: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) search[key] ??= value;
  return search;
}

function stringifySearch(search: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** The inbox of a workspace, with the conversation the address names (null for none or a malformed id). */
function InboxFor({ workspace, conversationId }: { workspace: WorkspaceSession; conversationId: string | null }) {
  const { me, membership, onSignOut } = workspace;
  const workspaceId = membership.workspaceId;
  const navigate = useNavigate();
  // Validated again here: the route's search also carries what the validator dropped.
  const search = validateInboxSearch(useSearch({ strict: false }));
  // The address as it stands once the router has settled (while it moves elsewhere, say to
  // Contacts, this screen is still shown and must not pull the address back).
  const searchText = useRouterState({ select: (state) => state.location.searchStr });
  const settled = useRouterState({ select: (state) => state.status === "idle" });
  const onSearch = useCallback(
    (next: InboxSearch) => {
      if (conversationId)
        void navigate({ to: "/w/$workspaceId/c/$conversationId", params: { workspaceId, conversationId }, search: next, replace: true });
      else void navigate({ to: "/w/$workspaceId", params: { workspaceId }, search: next, replace: true });
    },
    [navigate, workspaceId, conversationId],
  );
  // Malformed or unknown filters leave the address bar as well as the screen.
  useEffect(() => {
    if (!settled) return;
    const valid = validateInboxSearch(parseSearch(searchText));
    if (searchText !== stringifySearch(valid)) onSearch(valid);
  }, [settled, searchText, onSearch]);
  return (
    <InboxScreen
      key={workspaceId}
      me={me}
      membership={membership}
      conversationId={conversationId}
      filters={filtersFromSearch(search)}
      onSearch={onSearch}
      onSignOut={onSignOut}
    />
  );
}

/** Where a workspace address that names no section the role may open lands: its inbox, or its overview. */
function WorkspaceHome({ workspace }: { workspace: WorkspaceSession }) {
  const { me, membership, onSignOut } = workspace;
  if (!sectionsFor(membership.role).includes("inbox"))
    return <OverviewScreen key={membership.workspaceId} me={me} membership={membership} onSignOut={onSignOut} />;
  return <InboxFor workspace={workspace} conversationId={null} />;
}

function CurrentWorkspaceHome() {
  return <WorkspaceHome workspace={useWorkspace()} />;
}

/** An unknown address: under /w/ the first workspace's home (the address stays); elsewhere app.tsx moves on. */
function NotFound() {
  const { me, onSignOut } = useSession();
  const path = useRouterState({ select: (state) => state.location.pathname });
  const membership = me?.memberships[0];
  if (!me || !membership || !path.startsWith("/w/")) return null;
  return <WorkspaceHome workspace={{ me, membership, onSignOut }} />;
}

const rootRoute = createRootRoute({ component: App, notFoundComponent: NotFound });

function SetupRoute() {
  const { me, signedIn } = useSession();
  return me ? null : <SetupScreen onDone={signedIn} />;
}

function InvitationRoute() {
  const { signedIn } = useSession();
  return <AcceptInvitationScreen onDone={signedIn} />;
}

// Signed in, app.tsx moves on to the first workspace; signed out, it shows the sign-in page.
const indexRoute = createRoute({ getParentRoute: () => rootRoute, path: "/", component: () => null });
const loginRoute = createRoute({ getParentRoute: () => rootRoute, path: "/login", component: () => null });
const setupRoute = createRoute({ getParentRoute: () => rootRoute, path: "/setup", component: SetupRoute });
const invitationRoute = createRoute({ getParentRoute: () => rootRoute, path: "/invitation", component: InvitationRoute });

/** /w/<workspace>: the membership it names, or — for a workspace not the person's — the first one's home. */
function WorkspaceRoute() {
  const { me, onSignOut } = useSession();
  const { workspaceId } = workspaceRoute.useParams();
  if (!me || me.memberships.length === 0) return null;
  const membership = me.memberships.find((candidate) => candidate.workspaceId === workspaceId);
  if (!membership) return <WorkspaceHome workspace={{ me, membership: me.memberships[0]!, onSignOut }} />;
  return (
    <WorkspaceContext.Provider value={{ me, membership, onSignOut }}>
      <Outlet />
    </WorkspaceContext.Provider>
  );
}

const workspaceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/w/$workspaceId",
  component: WorkspaceRoute,
  notFoundComponent: CurrentWorkspaceHome,
});

/**
 * The inbox is one screen for the list and the open conversation (a layout route without a path of
 * its own), so opening a conversation keeps the list, its filters and the live feed as they are.
 */
function InboxRoute() {
  const workspace = useWorkspace();
  const { conversationId } = useParams({ strict: false });
  if (!sectionsFor(workspace.membership.role).includes("inbox")) return <WorkspaceHome workspace={workspace} />;
  return <InboxFor workspace={workspace} conversationId={conversationId && ID_SHAPE.test(conversationId) ? conversationId : null} />;
}

const inboxRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  id: "inbox",
  validateSearch: validateInboxSearch,
  component: InboxRoute,
});
const inboxListRoute = createRoute({ getParentRoute: () => inboxRoute, path: "/" });
const conversationRoute = createRoute({ getParentRoute: () => inboxRoute, path: "c/$conversationId" });

/** Contacts: the list stays while a contact (or the new-contact form) opens beside it. */
function ContactsRoute() {
  const workspace = useWorkspace();
  const { contactId } = useParams({ strict: false });
  const { me, membership, onSignOut } = workspace;
  if (!sectionsFor(membership.role).includes("contacts")) return <WorkspaceHome workspace={workspace} />;
  return <ContactsScreen key={membership.workspaceId} me={me} membership={membership} subpath={contactId ?? ""} onSignOut={onSignOut} />;
}

const contactsRoute = createRoute({ getParentRoute: () => workspaceRoute, path: "contacts", component: ContactsRoute });
const contactListRoute = createRoute({ getParentRoute: () => contactsRoute, path: "/" });
const contactRoute = createRoute({ getParentRoute: () => contactsRoute, path: "$contactId" });

/** Templates: the list, with a template (or the new-template editor) open beside it. */
function TemplatesRoute() {
  const workspace = useWorkspace();
  const { templateId } = useParams({ strict: false });
  const { me, membership, onSignOut } = workspace;
  if (!sectionsFor(membership.role).includes("templates")) return <WorkspaceHome workspace={workspace} />;
  return <TemplatesScreen key={membership.workspaceId} me={me} membership={membership} subpath={templateId ?? ""} onSignOut={onSignOut} />;
}

const templatesRoute = createRoute({ getParentRoute: () => workspaceRoute, path: "templates", component: TemplatesRoute });
const templateListRoute = createRoute({ getParentRoute: () => templatesRoute, path: "/" });
const templateRoute = createRoute({ getParentRoute: () => templatesRoute, path: "$templateId" });

/** Broadcasts: the list, a broadcast's progress and report, or the new-broadcast wizard. */
function BroadcastsRoute() {
  const workspace = useWorkspace();
  const { broadcastId } = useParams({ strict: false });
  const { me, membership, onSignOut } = workspace;
  if (!sectionsFor(membership.role).includes("broadcasts")) return <WorkspaceHome workspace={workspace} />;
  return (
    <BroadcastsScreen key={membership.workspaceId} me={me} membership={membership} subpath={broadcastId ?? ""} onSignOut={onSignOut} />
  );
}

const broadcastsRoute = createRoute({ getParentRoute: () => workspaceRoute, path: "broadcasts", component: BroadcastsRoute });
const broadcastListRoute = createRoute({ getParentRoute: () => broadcastsRoute, path: "/" });
const broadcastRoute = createRoute({ getParentRoute: () => broadcastsRoute, path: "$broadcastId" });

function OverviewRoute() {
  const workspace = useWorkspace();
  const { me, membership, onSignOut } = workspace;
  if (!sectionsFor(membership.role).includes("overview")) return <WorkspaceHome workspace={workspace} />;
  return <OverviewScreen key={membership.workspaceId} me={me} membership={membership} onSignOut={onSignOut} />;
}

const overviewRoute = createRoute({ getParentRoute: () => workspaceRoute, path: "overview", component: OverviewRoute });

function SettingsRoute() {
  const { me, membership, onSignOut } = useWorkspace();
  const { section } = useParams({ strict: false });
  return <SettingsScreen key={membership.workspaceId} me={me} membership={membership} subpath={section ?? ""} onSignOut={onSignOut} />;
}

const settingsRoute = createRoute({ getParentRoute: () => workspaceRoute, path: "settings", component: SettingsRoute });
const settingsHomeRoute = createRoute({ getParentRoute: () => settingsRoute, path: "/" });
const settingsSectionRoute = createRoute({ getParentRoute: () => settingsRoute, path: "$section" });

const routeTree = rootRoute.addChildren([
  indexRoute,
  loginRoute,
  setupRoute,
  invitationRoute,
  workspaceRoute.addChildren([
    inboxRoute.addChildren([inboxListRoute, conversationRoute]),
    contactsRoute.addChildren([contactListRoute, contactRoute]),
    templatesRoute.addChildren([templateListRoute, templateRoute]),
    broadcastsRoute.addChildren([broadcastListRoute, broadcastRoute]),
    overviewRoute,
    settingsRoute.addChildren([settingsHomeRoute, settingsSectionRoute]),
  ]),
]);

/** The page's router, made once by the entry point. No scroll restoration (it would need an inline script). */
export function createAppRouter() {
  return createRouter({ routeTree, parseSearch, stringifySearch, scrollRestoration: false, defaultPreload: false });
}

declare module "@tanstack/react-router" {
  // Every useNavigate/useParams in the dashboard is checked against this tree. (A module
  // augmentation can only extend the library's interface, hence no `type` here.)
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}

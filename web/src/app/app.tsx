import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { api, clearSession, describeError, endSession, hasAccessToken, onSignedOutElsewhere, refreshSession, type Me } from "../lib/api.ts";
import { LoginScreen, MfaEnrollmentScreen, SetupScreen } from "../features/auth/auth-screens.tsx";
import { ContactsScreen } from "../features/contacts/contacts.tsx";
import { InboxScreen } from "../features/inbox/inbox.tsx";
import { AcceptInvitationScreen } from "../features/auth/invitation-screen.tsx";
import { OverviewScreen } from "../features/overview/overview.tsx";
import { SettingsScreen } from "../features/settings/settings.tsx";
import { sectionsFor } from "./shell.tsx";

// The shell: a tiny router over the path (no hash routing: the fragment carries the setup token),
// and the session bootstrap (refresh cookie → access token → who am I → where to go).

export type Navigate = (path: string, options?: { replace?: boolean }) => void;

function usePath(): [string, Navigate] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback<Navigate>((next, options) => {
    if (options?.replace) window.history.replaceState(null, "", next);
    else window.history.pushState(null, "", next);
    setPath(next);
  }, []);
  return [path, navigate];
}

function isPublicPath(path: string): boolean {
  return path === "/setup" || path === "/invitation";
}

type Boot = { kind: "loading" } | { kind: "signed-out"; notice?: string } | { kind: "signed-in"; me: Me } | { kind: "error"; message: string };

const ME_KEY = ["me"] as const;

/** Who is signed in in this tab: null when there is no live session (after trying the refresh cookie). */
async function findMe(): Promise<Me | null> {
  if (!hasAccessToken() && !(await refreshSession())) return null;
  return api("GET", "/api/v1/me");
}

export function App() {
  const [path, navigate] = usePath();
  const queryClient = useQueryClient();
  // The setup and invitation pages work without a session; every other address starts by asking
  // who is signed in. Only the first load decides; later navigation carries its own state.
  const [signedOut, setSignedOut] = useState<{ notice?: string } | null>(() => (isPublicPath(window.location.pathname) ? {} : null));
  const session = useQuery({ queryKey: ME_KEY, queryFn: findMe, enabled: signedOut === null, staleTime: Infinity });
  const boot: Boot = signedOut
    ? { kind: "signed-out", ...signedOut }
    : session.error
      ? { kind: "error", message: describeError(session.error) }
      : session.data === undefined
        ? { kind: "loading" }
        : session.data === null
          ? { kind: "signed-out" }
          : { kind: "signed-in", me: session.data };

  const loadMe = useCallback(async () => {
    await queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: findMe, staleTime: 0 }).catch(() => undefined);
    setSignedOut(null);
  }, [queryClient]);

  // Signed out: nothing read for the previous session stays in memory.
  const forget = useCallback(
    (notice?: string) => {
      queryClient.removeQueries();
      setSignedOut(notice ? { notice } : {});
    },
    [queryClient],
  );

  // Every tab of the browser forgets the session whatever the server answers; when the server could
  // not end it, the person is told, since the refresh cookie stays valid until it expires.
  const signOut = useCallback(async () => {
    let notice: string | undefined;
    try {
      await endSession();
    } catch (error) {
      notice = `You are signed out in this browser, but Parley could not end the session on the server: ${describeError(error)} Sign in and sign out again, or close the browser, to end it.`;
    }
    clearSession();
    forget(notice);
    navigate("/login", { replace: true });
  }, [navigate, forget]);

  // Another tab signed out: this one has forgotten the session too, and says why it asks again.
  useEffect(
    () =>
      onSignedOutElsewhere(() => {
        forget("You were signed out in another tab. Sign in again to continue.");
        if (!isPublicPath(window.location.pathname)) navigate("/login", { replace: true });
      }),
    [navigate, forget],
  );

  const signedIn = useCallback(async () => {
    await loadMe();
    navigate("/", { replace: true });
  }, [loadMe, navigate]);

  // Signed in at / (or /login): land on the first workspace, so every address names its workspace.
  const firstWorkspaceId = boot.kind === "signed-in" ? boot.me.memberships[0]?.workspaceId : undefined;
  useEffect(() => {
    if (firstWorkspaceId && !path.startsWith("/w/") && path !== "/invitation") navigate(`/w/${firstWorkspaceId}`, { replace: true });
  }, [firstWorkspaceId, path, navigate]);

  if (path === "/setup" && boot.kind !== "signed-in") return <SetupScreen onDone={signedIn} />;
  if (path === "/invitation") return <AcceptInvitationScreen onDone={signedIn} />;
  if (boot.kind === "loading") return <p className="page-status" role="status">Loading…</p>;
  if (boot.kind === "error") {
    return (
      <main className="page-status">
        <p role="alert">{boot.message}</p>
        <button type="button" onClick={() => void loadMe()}>
          Try again
        </button>
      </main>
    );
  }
  if (boot.kind === "signed-out") return <LoginScreen onDone={signedIn} notice={boot.notice} />;

  const { me } = boot;
  if (me.user.mfaRequired && !me.user.mfaEnrolled) return <MfaEnrollmentScreen onDone={signedIn} onSignOut={() => void signOut()} />;
  if (me.memberships.length === 0) {
    return (
      <main className="page-status">
        <p>You are not a member of any workspace yet. Ask an Owner or Admin for an invitation.</p>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </main>
    );
  }
  // /w/<workspace>[/c/<conversation> | /contacts[/…] | /overview | /settings[/…]]
  const match = /^\/w\/([0-9a-f-]{36})(\/.*)?$/.exec(path);
  const membership = me.memberships.find((candidate) => candidate.workspaceId === match?.[1]) ?? me.memberships[0]!;
  const rest = match?.[1] === membership.workspaceId ? (match[2] ?? "") : "";
  const common = { key: membership.workspaceId, me, membership, navigate, onSignOut: () => void signOut() };
  const sections = sectionsFor(membership.role);
  const sub = (prefix: string) => rest.slice(prefix.length).replace(/^\//, "");
  if (rest.startsWith("/contacts") && sections.includes("contacts")) return <ContactsScreen {...common} subpath={sub("/contacts")} />;
  if (rest.startsWith("/settings")) return <SettingsScreen {...common} subpath={sub("/settings")} />;
  if (rest.startsWith("/overview") && sections.includes("overview")) return <OverviewScreen {...common} subpath={sub("/overview")} />;
  if (!sections.includes("inbox")) return <OverviewScreen {...common} subpath="" />;
  const conversation = /^\/c\/([0-9a-f-]{36})$/.exec(rest);
  return <InboxScreen {...common} conversationId={conversation?.[1] ?? null} />;
}

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, clearSession, describeError, endSession, hasAccessToken, onSignedOutElsewhere, refreshSession, type Me } from "../lib/api.ts";
import { LoginScreen, MfaEnrollmentScreen } from "../features/auth/auth-screens.tsx";
import { SessionContext, type Session } from "./session.tsx";

// The root of the route tree (router.tsx): the session bootstrap (refresh cookie → access token →
// who am I → where to go). Every address but the setup and invitation pages needs a session; the
// routes below render only once there is one (no hash routing: the fragment carries the setup token).

export function isPublicPath(path: string): boolean {
  return path === "/setup" || path === "/invitation";
}

type Boot =
  { kind: "loading" } | { kind: "signed-out"; notice?: string } | { kind: "signed-in"; me: Me } | { kind: "error"; message: string };

const ME_KEY = ["me"] as const;

/** Who is signed in in this tab: null when there is no live session (after trying the refresh cookie). */
async function findMe(): Promise<Me | null> {
  if (!hasAccessToken() && !(await refreshSession())) return null;
  return api("GET", "/api/v1/me");
}

export function App() {
  const path = useRouterState({ select: (state) => state.location.pathname });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The setup and invitation pages work without a session; every other address starts by asking
  // who is signed in. Only the first load decides; later navigation carries its own state.
  const [signedOut, setSignedOut] = useState<{ notice?: string } | null>(() => (isPublicPath(window.location.pathname) ? {} : null));
  const meQuery = useQuery({ queryKey: ME_KEY, queryFn: findMe, enabled: signedOut === null, staleTime: Infinity });
  const boot: Boot = signedOut
    ? { kind: "signed-out", ...signedOut }
    : meQuery.error
      ? { kind: "error", message: describeError(meQuery.error) }
      : meQuery.data === undefined
        ? { kind: "loading" }
        : meQuery.data === null
          ? { kind: "signed-out" }
          : { kind: "signed-in", me: meQuery.data };

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
    void navigate({ to: "/login", replace: true });
  }, [navigate, forget]);

  // Another tab signed out: this one has forgotten the session too, and says why it asks again.
  useEffect(
    () =>
      onSignedOutElsewhere(() => {
        forget("You were signed out in another tab. Sign in again to continue.");
        if (!isPublicPath(window.location.pathname)) void navigate({ to: "/login", replace: true });
      }),
    [navigate, forget],
  );

  const signedIn = useCallback(async () => {
    await loadMe();
    await navigate({ to: "/", replace: true });
  }, [loadMe, navigate]);

  // Signed in at / (or /login): land on the first workspace, so every address names its workspace.
  const firstWorkspaceId = boot.kind === "signed-in" ? boot.me.memberships[0]?.workspaceId : undefined;
  useEffect(() => {
    if (firstWorkspaceId && !path.startsWith("/w/") && path !== "/invitation")
      void navigate({ to: "/w/$workspaceId", params: { workspaceId: firstWorkspaceId }, replace: true });
  }, [firstWorkspaceId, path, navigate]);

  const me = boot.kind === "signed-in" ? boot.me : null;
  const session = useMemo<Session>(() => ({ me, signedIn, onSignOut: () => void signOut() }), [me, signedIn, signOut]);
  const routes = (children: ReactNode) => <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;

  // The setup page (until someone is signed in) and the invitation page need no session.
  if ((path === "/setup" && boot.kind !== "signed-in") || path === "/invitation") return routes(<Outlet />);
  if (boot.kind === "loading")
    return (
      <p className="page-status" role="status">
        Loading…
      </p>
    );
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

  if (boot.me.user.mfaRequired && !boot.me.user.mfaEnrolled)
    return <MfaEnrollmentScreen onDone={signedIn} onSignOut={() => void signOut()} />;
  if (boot.me.memberships.length === 0) {
    return (
      <main className="page-status">
        <p>You are not a member of any workspace yet. Ask an Owner or Admin for an invitation.</p>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </main>
    );
  }
  return routes(<Outlet />);
}

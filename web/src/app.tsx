import { useCallback, useEffect, useState } from "react";
import { api, clearSession, describeError, hasAccessToken, refreshSession, type Me } from "./api.ts";
import { LoginScreen, MfaEnrollmentScreen, SetupScreen } from "./auth-screens.tsx";
import { InboxScreen } from "./inbox.tsx";

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

type Boot = { kind: "loading" } | { kind: "signed-out" } | { kind: "signed-in"; me: Me } | { kind: "error"; message: string };

export function App() {
  const [path, navigate] = usePath();
  const [boot, setBoot] = useState<Boot>({ kind: "loading" });

  const loadMe = useCallback(async () => {
    try {
      if (!hasAccessToken() && !(await refreshSession())) {
        setBoot({ kind: "signed-out" });
        return;
      }
      setBoot({ kind: "signed-in", me: await api<Me>("GET", "/api/v1/me") });
    } catch (error) {
      setBoot({ kind: "error", message: describeError(error) });
    }
  }, []);

  useEffect(() => {
    if (path === "/setup") setBoot({ kind: "signed-out" });
    else void loadMe();
    // Only the first load decides; later navigation carries its own state.
  }, []);

  const signOut = useCallback(async () => {
    await api("POST", "/api/v1/auth/logout").catch(() => undefined);
    clearSession();
    setBoot({ kind: "signed-out" });
    navigate("/login", { replace: true });
  }, [navigate]);

  const signedIn = useCallback(async () => {
    await loadMe();
    navigate("/", { replace: true });
  }, [loadMe, navigate]);

  if (path === "/setup" && boot.kind !== "signed-in") return <SetupScreen onDone={signedIn} />;
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
  if (boot.kind === "signed-out") return <LoginScreen onDone={signedIn} />;

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
  const match = /^\/w\/([0-9a-f-]{36})(?:\/c\/([0-9a-f-]{36}))?/.exec(path);
  const membership = me.memberships.find((candidate) => candidate.workspaceId === match?.[1]) ?? me.memberships[0]!;
  return (
    <InboxScreen
      key={membership.workspaceId}
      me={me}
      membership={membership}
      conversationId={match?.[1] === membership.workspaceId ? (match[2] ?? null) : null}
      navigate={navigate}
      onSignOut={() => void signOut()}
    />
  );
}

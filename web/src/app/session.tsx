import { createContext, useContext } from "react";
import type { Me } from "../lib/api.ts";
import type { Membership } from "./shell.tsx";

// What the session bootstrap (app.tsx) hands to the routes below it: who is signed in (null on the
// pages that work without a session), what to do once someone signs in, and how to sign out; and,
// under /w/<workspace>, the membership the address names.

export type Session = { me: Me | null; signedIn(): Promise<void>; onSignOut(): void };
export type WorkspaceSession = { me: Me; membership: Membership; onSignOut(): void };

export const SessionContext = createContext<Session | null>(null);
export const WorkspaceContext = createContext<WorkspaceSession | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the session bootstrap");
  return session;
}

export function useWorkspace(): WorkspaceSession {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace outside a workspace route");
  return workspace;
}

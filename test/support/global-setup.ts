import { ensureDashboardBuilt } from "./dashboard-build.ts";

// Runs once before any test file: browser tests run in parallel workers, and two of them building
// web/dist at the same time would serve each other a half-written bundle.
export function setup(): void {
  ensureDashboardBuilt();
}

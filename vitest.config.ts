import { defineConfig } from "vitest/config";

// One suite, two engines: PARLEY_TEST_ENGINE=postgres runs every test against PostgreSQL + Redis
// instead of the embedded PGlite + in-process adapters (see test/support/engine.ts).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "sim/**/*.test.ts", "bench/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});

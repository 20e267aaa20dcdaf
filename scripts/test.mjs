#!/usr/bin/env node
// `npm test`: typecheck, lint, then the whole suite twice — on the embedded engines (PGlite,
// in-process coordination) and on PostgreSQL + Redis. Ends with one line "N passed, N failed".
//
// `npm test -- --runtime-check` is the second-runtime pass of CI (.ci/run runs it on Node 24 after
// the full run on Node 20): typecheck and lint say nothing new on another Node, so it runs the
// whole suite on PostgreSQL + Redis (the production shape, as the container image runs it) and, on
// PGlite, the tests of the embedded engine itself and of `parley` processes started on it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";

const bin = (name) => join(process.cwd(), "node_modules", ".bin", name);
const reportDir = mkdtempSync(join(tmpdir(), "parley-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(title, command, args, env = {}) {
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    failures.push(title);
    if (!title.startsWith("suite")) totals.failed += 1;
  }
  return result.status === 0;
}

function suite(title, env, only = []) {
  const report = join(reportDir, `${title.replace(/\W+/g, "-")}.json`);
  step(title, bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...only], env);
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests + (json.numFailedTestSuites ?? 0);
    totals.skipped += json.numPendingTests + json.numTodoTests;
  } catch {
    totals.failed += 1;
  }
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const runtimeCheck = process.argv.includes("--runtime-check");
/** What the embedded engine's own behaviour rests on: its adapter, migrations, and `parley` processes on it. */
const EMBEDDED_ENGINE_TESTS = ["src/db", "test/e2e"];

if (!runtimeCheck) {
  step("typecheck", bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]);
  step("typecheck the dashboard", bin("tsc"), ["-p", "web/tsconfig.json", "--noEmit"]);
  step("lint", bin("eslint"), ["--max-warnings", "0", "."]);
  suite("suite on PGlite", { PARLEY_TEST_ENGINE: "pglite" });
} else {
  process.stdout.write(`\n${process.version}: the embedded engine's tests on PGlite, then the whole suite on PostgreSQL + Redis\n`);
  suite("suite on PGlite (embedded engine)", { PARLEY_TEST_ENGINE: "pglite" }, EMBEDDED_ENGINE_TESTS);
}

const postgres = await reachable("127.0.0.1", 5432);
const redis = await reachable("127.0.0.1", 6379);
if (postgres && redis) {
  suite("suite on PostgreSQL + Redis", { PARLEY_TEST_ENGINE: "postgres" });
} else {
  const missing = [postgres ? null : "PostgreSQL on 127.0.0.1:5432", redis ? null : "Redis on 127.0.0.1:6379"]
    .filter(Boolean)
    .join(" and ");
  process.stdout.write(`\n✘ ${missing} not reachable: the PostgreSQL + Redis pass cannot run.\n`);
  failures.push("suite on PostgreSQL + Redis (services unreachable)");
  totals.failed += 1;
}

rmSync(reportDir, { recursive: true, force: true });
process.stdout.write(`\n${failures.length === 0 ? "✔ all steps passed" : `✘ failed: ${failures.join(", ")}`}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}\n`);
process.exit(failures.length === 0 ? 0 : 1);

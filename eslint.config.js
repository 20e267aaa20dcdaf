import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Layers every part of the server may use, which therefore may use none of the product or the channel. */
const CROSS_CUTTING = ["src/http", "src/db", "src/crypto", "src/identity", "src/audit", "src/blob", "src/coordination", "src/log", "src/realtime", "src/jobs", "src/doctor"];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".parley/", "coverage/", "bench/results/", "web/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", AbortController: "readonly", AbortSignal: "readonly", fetch: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", structuredClone: "readonly", queueMicrotask: "readonly", setImmediate: "readonly", performance: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Only src/config.ts reads process.env; take settings from the parsed config.",
        },
      ],
      eqeqeq: ["error", "always"],
    },
  },
  // Dependency directions (ARCHITECTURE.md, "Layers"): the channel adapter knows nothing of the
  // product, and the cross-cutting layers know neither; the composition root (src/app.ts,
  // src/services.ts, the route registry src/http/routes.ts, src/cli) wires them together.
  {
    files: ["src/whatsapp/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "(^|/)features(/|$)", message: "The channel adapter (src/whatsapp) must not import the product (src/features): hand events over through a port it defines (src/whatsapp/inbound/port.ts)." }] }],
    },
  },
  {
    files: CROSS_CUTTING.map((dir) => `${dir}/**/*.ts`),
    ignores: ["src/http/routes.ts", "src/db/schema.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "(^|/)(features|whatsapp)(/|$)", message: "Cross-cutting layers must not import the product (src/features) or the channel (src/whatsapp): take what they need as an argument, wired in the composition root." }] },
      ],
    },
  },
  {
    // The database's row types are the union of each table's row-type file, wherever it lives: types only.
    files: ["src/db/schema.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "(^|/)(features|whatsapp)(/|$)", allowTypeImports: true, message: "src/db/schema.ts gathers row types only." }] }],
    },
  },
  {
    // Routes declare, services decide, repositories query (STYLE 17).
    files: ["src/features/**/routes.ts", "src/features/**/*-routes.ts", "src/features/**/service.ts", "src/features/**/worker.ts"],
    // Still querying directly, each to move into its feature's repository: leave this list shorter, never longer.
    ignores: ["src/features/api-keys/service.ts", "src/features/quick-replies/service.ts", "src/features/messages/worker.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Only src/config.ts reads process.env; take settings from the parsed config.",
        },
        {
          selector: "CallExpression > MemberExpression.callee[property.name=/^(selectFrom|insertInto|updateTable|deleteFrom)$/]",
          message: "SQL lives in the feature's repository: call a repository function (tenant scope as an argument).",
        },
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: "SQL lives in the feature's repository: call a repository function (tenant scope as an argument)." },
        { selector: "TaggedTemplateExpression[tag.object.name='sql']", message: "SQL lives in the feature's repository: call a repository function (tenant scope as an argument)." },
      ],
    },
  },
  {
    files: ["src/config.ts", "scripts/**", "bin/**", "vitest.config.ts", "test/support/**", "bench/**"],
    rules: { "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports." }] },
  },
  {
    files: ["eslint.config.js", "vitest.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);

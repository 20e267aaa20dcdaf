import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Job rows are written through a job definition; the raw insert is src/jobs' own. */
const JOBS_INSERT = { group: ["**/jobs/insert.ts"], message: "Enqueue through a job definition (enqueueJob in src/jobs/definition.ts)." };

/** What the cross-cutting layers may not import. */
const LAYER_RULE = {
  regex: "(^|/)(features|whatsapp)(/|$)",
  message:
    "Cross-cutting layers must not import the product (src/features) or the channel (src/whatsapp): take what they need as an argument, wired in the composition root.",
};

/** Layers every part of the server may use, which therefore may use none of the product or the channel. */
const CROSS_CUTTING = [
  "src/http",
  "src/db",
  "src/crypto",
  "src/identity",
  "src/audit",
  "src/blob",
  "src/coordination",
  "src/log",
  "src/realtime",
  "src/jobs",
  "src/doctor",
  "src/observability",
  "src/privacy",
];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".parley/", "coverage/", "bench/results/", "web/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules on every TypeScript file, each file checked with its own tsconfig (the server's
  // or web/tsconfig.json): floating and misused promises, awaiting non-promises, unsafe `any`
  // flows, needless assertions, objects stringified by accident.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ["**/*.ts", "**/*.tsx"] })),
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Our objects are closures, not classes: a method read off an adapter (`stops.push(server.close)`)
      // never depends on `this`, which is all this rule guards against.
      "@typescript-eslint/unbound-method": "off",
      // An adapter implements a promise-returning port; the in-process one has nothing to await.
      "@typescript-eslint/require-await": "off",
      // Passing on a caught error as it came is not inventing a non-Error reason.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
    },
  },
  {
    // Tests read answers as untyped JSON and assert on them with expect(); the product code keeps
    // the no-unsafe-* rules.
    files: ["**/*.test.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        fetch: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        structuredClone: "readonly",
        queueMicrotask: "readonly",
        setImmediate: "readonly",
        performance: "readonly",
      },
    },
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
  // The dashboard's hooks: called unconditionally, with every dependency they read.
  { files: ["web/**/*.{ts,tsx}"], ...reactHooks.configs.flat.recommended },
  // Restricted imports. ESLint keeps only the last matching setting of a rule for a file, so each
  // block below repeats the patterns of the blocks before it that also match its files.
  {
    // Job rows are written through a job definition (src/jobs/definition.ts), which checks the
    // queue and the payload; the raw insert stays inside src/jobs.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["src/jobs/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [JOBS_INSERT] }] },
  },
  // Dependency directions (ARCHITECTURE.md, "Layers"): the channel adapter knows nothing of the
  // product, and the cross-cutting layers know neither; the composition root (src/app.ts,
  // src/services.ts, the route registry src/http/routes.ts, src/cli) wires them together.
  {
    files: ["src/whatsapp/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            JOBS_INSERT,
            {
              regex: "(^|/)features(/|$)",
              message:
                "The channel adapter (src/whatsapp) must not import the product (src/features): hand events over through a port it defines (src/whatsapp/inbound/port.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    files: CROSS_CUTTING.map((dir) => `${dir}/**/*.ts`),
    ignores: ["src/http/routes.ts", "src/db/column-overrides.ts", "src/db/generated/**", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [JOBS_INSERT, LAYER_RULE] }],
    },
  },
  {
    // src/jobs is cross-cutting too, and the raw insert is its own.
    files: ["src/jobs/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [LAYER_RULE] }] },
  },
  {
    // The generated row types name the domain's own value types (src/db/column-overrides.ts): types only.
    files: ["src/db/column-overrides.ts", "src/db/generated/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            JOBS_INSERT,
            {
              regex: "(^|/)(features|whatsapp)(/|$)",
              allowTypeImports: true,
              message: "The row types may name the domain's value types, as types only.",
            },
          ],
        },
      ],
    },
  },
  {
    // Routes declare, services decide, repositories query (STYLE 17): in the product every module
    // but a repository (SQL in one place per feature); in the channel adapter (its inbound worker is
    // process.ts) and the cross-cutting layers, the routes, service and worker modules (src/http/routes
    // holds routes modules by other names). src/db and src/jobs are the query infrastructure itself.
    files: [
      "src/features/**/*.ts",
      "src/**/routes.ts",
      "src/**/*-routes.ts",
      "src/http/routes/**/*.ts",
      "src/**/service.ts",
      "src/**/worker.ts",
      "src/whatsapp/**/process.ts",
    ],
    ignores: ["src/**/*repository.ts", "**/*.test.ts"],
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
          message: "SQL lives in the feature's repository (or its layer's): call a repository function (tenant scope as an argument).",
        },
        {
          selector: "TaggedTemplateExpression[tag.name='sql']",
          message: "SQL lives in the feature's repository (or its layer's): call a repository function (tenant scope as an argument).",
        },
        {
          selector: "TaggedTemplateExpression[tag.object.name='sql']",
          message: "SQL lives in the feature's repository (or its layer's): call a repository function (tenant scope as an argument).",
        },
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

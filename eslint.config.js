import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

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
  // The dashboard's hooks: called unconditionally, with every dependency they read.
  { files: ["web/**/*.{ts,tsx}"], ...reactHooks.configs.flat.recommended },
  {
    // Job rows are written through a job definition (src/jobs/definition.ts), which checks the
    // queue and the payload; the raw insert stays inside src/jobs.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["src/jobs/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/jobs/insert.ts"], message: "Enqueue through a job definition (enqueueJob in src/jobs/definition.ts)." }] }] },
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

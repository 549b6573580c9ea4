// Typed lint over src, test and scripts (typescript-eslint recommendedTypeChecked), plus the
// layering rules from the style guide: the pure core never imports I/O, the CLI or Azure.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "engine/**", "node_modules/**", "out/**", ".scratch/**", "coverage/**", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/core/**/*.ts", "src/emit/**/*.ts", "src/deploy/plan.ts", "src/deploy/json-diff.ts", "src/deploy/desired-state.ts", "src/rego/match.ts", "src/rego/suite.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:fs", "node:child_process", "node:http", "node:https", "node:net"], message: "the core is pure: do I/O in src/io or src/deploy adapters" },
            { group: ["commander", "@azure/*", "**/cli/**"], message: "the core does not know the CLI or Azure SDKs" },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/deploy/policy-client-port.ts", "src/deploy/credential.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@azure/arm-policy", "@azure/identity", "@azure/core-rest-pipeline"], message: "only the ArmPort adapter and credential.ts talk to Azure" }] }],
    },
  },
);

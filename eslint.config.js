// Typed lint over src, test and scripts (typescript-eslint recommendedTypeChecked), plus the
// layering rules from the style guide: only the Azure adapters (ARM, Storage) talk to Azure, and the pure
// core never imports I/O, the CLI or Azure; and src/ folders import only from lower floors
// (eslint/layer-order.mjs). (Flat config: for one rule the last matching block
// wins, so the core block repeats the Azure patterns.)
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layersPlugin } from "./eslint/layer-order.mjs";

const azure = { group: ["@azure/*"], message: "only the Azure adapters (src/deploy/policy-client-port.ts, network-pipeline.ts, azure-error.ts, policy-set-client.ts, exemption-client.ts, credential.ts, src/publish/azure-blob-store.ts, src/compliance/policy-insights-port.ts, resource-graph-port.ts) talk to Azure; src/deploy/acr-client-port.ts for the ACR management API" };
const kube = { group: ["@kubernetes/*"], message: "only src/impact/kube-client-port.ts talks to a cluster" };
const io = { group: ["node:fs", "node:child_process", "node:http", "node:https", "node:net"], message: "the core is pure: do I/O in src/io or the deploy adapters" };
const cli = { group: ["commander", "**/cli/**"], message: "the core does not know the CLI" };
// Every file azpol writes goes through src/io/guarded-writer.ts (confined to the folder it was asked
// to write to, symlinks written through or refused, names checked): no fs write call elsewhere.
const writes = ["writeFileSync", "writeFile", "appendFileSync", "appendFile", "renameSync", "rename", "mkdirSync", "mkdir", "cpSync", "cp", "copyFileSync", "copyFile", "rmSync", "rm", "rmdirSync", "rmdir", "unlinkSync", "unlink", "symlinkSync", "symlink", "linkSync", "link", "createWriteStream", "truncateSync", "ftruncateSync", "chmodSync", "writeSync", "promises"];
const fsWrites = [
  { name: "node:fs", importNames: writes, message: "write files through src/io/guarded-writer.ts (writeGuarded), which keeps writes inside their folder" },
  { name: "fs", message: "import node:fs; write files through src/io/guarded-writer.ts" },
  { name: "node:fs/promises", message: "write files through src/io/guarded-writer.ts (writeGuarded)" },
  { name: "fs/promises", message: "write files through src/io/guarded-writer.ts (writeGuarded)" },
];
// The SDKs cost up to 0.3 s to load (@azure/storage-blob): the CLI loads their adapters with
// await import() in the one command that needs them, so every other command starts fast.
const lazy = {
  group: ["**/publish/azure-blob-store.js", "**/cli/azure/*.js", "**/deploy/acr-client-port.js", "**/deploy/policy-client-port.js", "**/deploy/credential.js", "**/impact/kube-client-port.js", "**/compliance/policy-insights-port.js", "**/compliance/resource-graph-port.js"],
  allowTypeImports: true,
  message: "load SDK adapters with await import() where the command needs them (startup time)",
};

export default tseslint.config(
  { ignores: ["dist/**", "engine/**", "oracle/**", "scripts/*.mjs", "eslint/**", "src/**/*.generated.ts", "node_modules/**", "out/**", ".scratch/**", "coverage/**", ".pack/**", "eslint.config.js"] },
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
    files: ["src/**/*.ts"],
    ignores: ["src/deploy/policy-client-port.ts", "src/deploy/acr-client-port.ts", "src/deploy/network-pipeline.ts", "src/deploy/azure-error.ts", "src/deploy/policy-set-client.ts", "src/deploy/exemption-client.ts", "src/deploy/credential.ts", "src/publish/azure-blob-store.ts", "src/compliance/policy-insights-port.ts", "src/compliance/resource-graph-port.ts", "src/impact/kube-client-port.ts"],
    rules: { "no-restricted-imports": ["error", { paths: fsWrites, patterns: [azure, kube] }] },
  },
  {
    files: ["src/cli/**/*.ts"],
    // src/cli/azure: the one place the CLI connects to Azure (credential, endpoint, network), loaded lazily
    ignores: ["src/cli/azure/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: fsWrites, patterns: [azure, kube, lazy] }] },
  },
  {
    files: ["src/core/**/*.ts", "src/emit/**/*.ts", "src/deploy/plan.ts", "src/deploy/json-diff.ts", "src/deploy/desired-state.ts", "src/rego/match.ts", "src/rego/suite.ts"],
    rules: { "no-restricted-imports": ["error", { paths: fsWrites, patterns: [azure, kube, io, cli] }] },
  },
  {
    // the one module that writes (and its removal half, by the same rules)
    files: ["src/io/guarded-writer.ts", "src/io/guarded-removal.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [azure, kube] }] },
  },
  {
    // output order must not depend on the user's locale: src/model/compare-text.ts
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { property: "localeCompare", message: "use compareText (src/model/compare-text.ts): localeCompare follows the user's locale" },
        { object: "Intl", property: "Collator", message: "use compareText (src/model/compare-text.ts): a collator follows a locale" },
      ],
    },
  },
  {
    // the layer order of src/ folders and no cycle between them (eslint/layer-order.mjs)
    files: ["src/**/*.ts"],
    plugins: { azpol: layersPlugin },
    rules: { "azpol/layer-order": ["error", { srcDir: `${import.meta.dirname}/src` }] },
  },
);

import { defineConfig } from "vitest/config";
import { PROVIDER_SUITES, TOOL_SUITES } from "./test/tool-suites.js";

/** Shared by `npm test` and `npm run test:tools` (vitest.tools.config.ts). */
export const COMMON_TEST_OPTIONS = {
  // Timeouts only catch hangs; no test may depend on how fast a busy machine runs it (a case that
  // spawns the CLI a few times took over 60 s with the load at 40 on 2 cores).
  testTimeout: 300_000,
  hookTimeout: 300_000,
  // each worker loads the ~40 MB OPA engine once; two workers fit the 2-core CI machine
  maxWorkers: 2,
  restoreMocks: true,
};

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...TOOL_SUITES, ...PROVIDER_SUITES],
    ...COMMON_TEST_OPTIONS,
  },
});

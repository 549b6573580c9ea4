import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // each worker loads the ~40 MB OPA engine once; two workers fit the 2-core CI machine
    maxWorkers: 2,
    restoreMocks: true,
  },
});

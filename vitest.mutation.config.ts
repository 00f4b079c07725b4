/** vitest config for mutation testing (stryker.config.mjs): the root config restricted to the fast gradient tests. */
import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// Spread rather than mergeConfig: mergeConfig would append to the root's include list instead of replacing it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // @fast-check/vitest names each property "<name> (with seed=<seed>)": a random seed would rename the tests
    // between Stryker's dry run and its mutant runs, and a renamed test never runs against its mutants.
    setupFiles: ["./vitest.mutation.setup.ts"],
    include: [
      "packages/core/test/ops/gradients.property.test.ts",
      "packages/core/test/ops/forwardMode.property.test.ts",
      "packages/core/test/autodiff/*.test.ts",
      "packages/core/test/ops/kinks.test.ts",
      "packages/core/test/ops/fused.test.ts",
      "packages/core/test/kernels/binary.test.ts",
      "packages/layers/test/closedForm.test.ts",
      "test/autodiff.property.test.ts",
      "test/metamorphic.property.test.ts",
      "test/closedForm.property.test.ts",
      "test/fixtures.test.ts",
    ],
  },
});

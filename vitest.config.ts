import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources (no build needed); `pnpm build` checks the dist output separately.
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@backprop\/core$/, replacement: src("./packages/core/src/index.ts") },
      { find: /^@backprop\/core\/node$/, replacement: src("./packages/core/src/node.ts") },
      { find: /^@backprop\/core\/internal$/, replacement: src("./packages/core/src/internal.ts") },
      { find: /^@backprop\/layers$/, replacement: src("./packages/layers/src/index.ts") },
      { find: /^@backprop\/layers\/node$/, replacement: src("./packages/layers/src/node.ts") },
      { find: /^@backprop\/onnx$/, replacement: src("./packages/onnx/src/index.ts") },
      { find: /^@backprop\/testing$/, replacement: src("./packages/testing/src/index.ts") },
      { find: /^@backprop\/example-planar\/data$/, replacement: src("./examples/planar/src/data.ts") },
    ],
  },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "test/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
      "bench/test/**/*.test.ts",
    ],
    testTimeout: 60_000,
  },
});

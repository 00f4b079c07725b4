// @ts-check
/**
 * StrykerJS over the gradient code: every op's `backward:` and `jvp:` rule (plus the helpers only backward
 * uses), the kernels carrying the kink/tie conventions, the fused gradient kernels and the
 * closed-form formulas of @backprop/layers, tested by the fast gradient properties
 * (vitest.mutation.config.ts). Not part of CI: `pnpm test:mutation` (see test/README.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const indent = (line) => line.length - line.trimStart().length;

/** 1-based line spans [start, end] of the blocks that start where `starts` matches (ends by indentation). */
function spans(file, starts) {
  const lines = readFileSync(file, "utf8").split("\n");
  const out = [];
  lines.forEach((line, i) => {
    if (!starts.test(line)) return;
    const d = indent(line);
    let end = i;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].trim() === "") continue;
      const dj = indent(lines[j]);
      if (dj > d) end = j;
      else {
        if (dj === d && /^[\]})]/.test(lines[j].trim())) end = j;
        break;
      }
    }
    out.push(`${file}:${i + 1}-${end + 1}`);
  });
  return out;
}

const opFiles = (dir) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f).replaceAll("\\", "/"));

const ops = opFiles("packages/core/src/ops");
const mutate = [
  // Each primitive's backward rule: `backward: (g, ctx) => ...` through the end of the property.
  ...ops.flatMap((f) => spans(f, /^\s*backward:/)),
  // Helpers that only backward rules call: broadcasting's reverse, max/min's tie split, kept dims.
  ...ops.flatMap((f) => spans(f, /^(export )?function (\w*Backward|keptDims|sumToShape)\(/)),
  // The course's closed forms: the formula bodies (inside noGrad), not the argument checks.
  ...spans("packages/layers/src/closedForm.ts", /return noGrad\(\(\) => \{/),
  // Kernels that carry the kink and tie conventions: relu, its mask, sign (|x|′), maximum/minimum, max/min.
  ...spans("packages/core/src/kernels/unary.ts", /^\s*case "(relu|sign)":/),
  ...spans("packages/core/src/kernels/binary.ts", /^function (max2|min2)\(/),
  ...spans("packages/core/src/kernels/strided.ts", /^function (maxOf|minOf)\(/),
  // The fused gradient kernels (the plain backward path of tanh, sigmoid, relu, logSigmoid, sigmoidCrossEntropy).
  "packages/core/src/kernels/fused.ts",
  // Each primitive's forward-mode rule: `jvp: (tangents, ctx) => ...`, and mul's one-pass product rule.
  ...ops.flatMap((f) => spans(f, /^\s*jvp:/)),
  "packages/core/src/kernels/productRule.ts",
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  $schema: "./node_modules/@stryker-mutator/core/schema/stryker-schema.json",
  testRunner: "vitest",
  // By path: with pnpm's isolated node_modules, Stryker's own "@stryker-mutator/*" scan cannot see the runner.
  plugins: [createRequire(import.meta.url).resolve("@stryker-mutator/vitest-runner")],
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  mutate,
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // Sandboxes live in .stryker-tmp/; the test:mutation script links .stryker-tmp/shared to the
  // repository's sibling shared/ so fixture paths (<root>/../shared) resolve inside a sandbox too.
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["reports", "examples/*/out", "bench/results", "**/dist"],
};

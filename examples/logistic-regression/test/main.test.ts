/** Smoke test of the logistic-regression example, run as a program; expected numbers from numpy (see the README). */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "examples/logistic-regression/dist/main.js"), ...args], { encoding: "utf8" });

beforeAll(() => {
  // The program runs from dist/: bring it up to date (a no-op after `pnpm build`).
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-b", "examples/logistic-regression"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}, 120_000);

test("prints autodiff beside the closed forms, then the costs numpy computes for the same run", () => {
  const { status, stdout } = run("--iterations", "400");
  expect(status).toBe(0);
  // numpy: dw = X(A − Y)ᵀ/m = [-0.45771473, -0.31114667] at w = randn(2,1)·0.01 (seed 1), b = 0.
  expect(stdout).toMatch(/dw\[0\] {3}-0\.457714730095396\d/);
  const [, rdw, rdb, rdZ] = stdout.match(/dw (\S+), db (\S+), dZ (\S+)/)!.map(Number);
  for (const r of [rdw, rdb, rdZ]) expect(r).toBeLessThan(1e-12);
  // numpy's costs for this data and start: 0.68756067, and 0.29956259 after 200 steps of lr 0.1.
  expect(stdout).toContain("Cost after iteration 0: 0.687561");
  expect(stdout).toContain("Cost after iteration 200: 0.299563");
  expect(stdout).toMatch(/train accuracy: \d+\.\d\d%/);
});

test("the default run reaches numpy's accuracies (89.5% train, 91.5% test)", () => {
  const { stdout } = run();
  expect(stdout).toContain("train accuracy: 89.50%");
  expect(stdout).toContain("test accuracy: 91.50%");
});

test("a bad option: message on stderr, exit status 2", () => {
  const { status, stderr } = run("--iterations", "0");
  expect(status).toBe(2);
  expect(stderr).toContain('--iterations must be an integer >= 1, got "0"');
});

/** Smoke test of the deep-network example, run as a program; expected numbers from numpy (see the README). */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, "examples/deep-network/dist/main.js"), ...args], { encoding: "utf8" });

beforeAll(() => {
  // The program runs from dist/: bring it (and the planar data it imports) up to date (a no-op after `pnpm build`).
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "examples/deep-network"], {
    cwd: root,
    stdio: "inherit",
  });
}, 120_000);

test("autodiff equals deepClosedFormGradients for every layer, and the costs are numpy's", () => {
  const { status, stdout, stderr } = run("--iterations", "301");
  expect(stderr).toBe("");
  expect(status).toBe(0);
  const largest = Number(stdout.match(/largest: (\S+)/)![1]);
  expect(largest).toBeLessThan(1e-12);
  expect(stdout.match(/^ {2}[1-4] {4}/gm)).toHaveLength(4); // one row per layer
  // numpy, same He init (RandomState(1), layer by layer) and gradient descent at 0.1: 0.959981, then 0.275969.
  expect(stdout).toContain("Cost after iteration 0: 0.959981");
  expect(stdout).toContain("Cost after iteration 300: 0.275969");
  expect(stdout).toMatch(/Accuracy: \d+\.\d\d% \(training set/);
});

test("the README's `--optimizer adam` run trains to the end (2,000 Adam steps by default) without diverging", () => {
  const { status, stdout, stderr } = run("--optimizer", "adam");
  expect(stderr).toBe("");
  expect(status).toBe(0);
  expect(stdout).toContain("Training: Adam, 2000 iterations, learning rate 0.01");
  expect(stdout).toContain("Accuracy: 93.25% (training set");
});

test("adam runs too; a bad optimizer is rejected with exit status 2", () => {
  expect(run("--iterations", "20", "--optimizer", "adam").status).toBe(0);
  const { status, stderr } = run("--optimizer", "sgd");
  expect(status).toBe(2);
  expect(stderr).toContain('--optimizer must be gd or adam, got "sgd"');
});

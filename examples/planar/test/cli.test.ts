/** The demo's command line: option parsing, and the built program run as a child process with small iteration counts. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tensor, ValueError } from "@backprop/core";
import { fromOnnx } from "@backprop/onnx";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { defaults, parseCli } from "../src/cli.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "examples/planar/dist/main.js");
const outDir = mkdtempSync(join(tmpdir(), "planar-demo-"));

/** Runs the built demo; never throws, returns exit status and both streams. */
function demo(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // The child process runs dist/: bring it up to date with the sources (incremental, a no-op after `pnpm build`).
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "examples/planar"], {
    cwd: root,
    stdio: "inherit",
  });
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("parseCli", () => {
  test("no options: the course's run", () => {
    expect(parseCli([])).toEqual(defaults);
    expect(defaults).toMatchObject({ dataset: "flower", hidden: 4, learningRate: 1.2, iterations: 10000, seed: 2 });
  });

  test("every option, and a leading `--` as some pnpm versions forward it", () => {
    const argv = ["--dataset", "noisy_moons", "--hidden", "5", "--activation", "relu", "--learning-rate", "0.5"];
    argv.push("--iterations", "100", "--sweep-iterations", "7", "--seed", "3", "--data-seed", "9", "--out", "x");
    argv.push("--no-sweep", "--no-plots", "--json", "--jit");
    expect(parseCli(["--", ...argv])).toEqual({
      dataset: "moons",
      dataSeed: 9,
      hidden: 5,
      activation: "relu",
      learningRate: 0.5,
      iterations: 100,
      sweepIterations: 7,
      seed: 3,
      out: "x",
      sweep: false,
      plots: false,
      json: true,
      jit: true,
      help: false,
    });
    expect(parseCli(["--learning-rate=1e-2"]).learningRate).toBe(0.01);
  });

  test.each([
    [["--hidden", "0"], '--hidden must be an integer in [1, 10000], got "0"'],
    [["--hidden", "2.5"], '--hidden must be an integer in [1, 10000], got "2.5"'],
    [["--iterations", "ten"], '--iterations must be an integer >= 1, got "ten"'],
    [["--learning-rate=-1"], '--learning-rate must be a number > 0, got "-1"'],
    [["--seed=-3"], '--seed must be an integer in [0, 4294967295], got "-3"'],
    [["--activation", "softmax"], '--activation must be one of tanh, sigmoid, relu, leakyRelu, got "softmax"'],
    [["--dataset", "spiral"], 'unknown data set "spiral"; expected one of flower, circles, moons, blobs, quantiles'],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--hidden"], "Option '--hidden <value>' argument missing"],
    [["stray"], 'unexpected argument "stray"'],
  ])("%j is rejected: %s", (argv, message) => {
    expect(() => parseCli(argv)).toThrow(ValueError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});

describe("the demo as a program", () => {
  test("--help prints the usage and exits 0", () => {
    const { status, stdout } = demo("--help");
    expect(status).toBe(0);
    expect(stdout).toContain("Usage: node examples/planar/dist/main.js [options]");
    expect(stdout).toContain("--no-sweep");
  });

  test.each([
    [["--hidden", "0"], "--hidden must be an integer"],
    [["--frobnicate"], "Unknown option '--frobnicate'"],
    [["--dataset", "spiral"], 'unknown data set "spiral"'],
  ])("bad options %j: a message on stderr, exit status 2, nothing on stdout", (argv, message) => {
    const { status, stdout, stderr } = demo(...argv);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).toContain("Run with --help");
  });

  test("--json: exactly one JSON object on stdout with the documented keys; progress lines on stderr", () => {
    const { status, stdout, stderr } = demo("--json", "--iterations", "40", "--sweep-iterations", "3", "--no-plots");
    expect(status).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(["dataset", "main", "gradientCheck", "sweep", "logisticRegression"]);
    expect(out.main).toMatchObject({ nH: 4, iterations: 40, learningRate: 1.2 });
    // 40 iterations print every 4th cost (about ten lines), the first one from the untrained net: numpy's value.
    expect(Object.keys(out.main.costs)).toEqual(["0", "4", "8", "12", "16", "20", "24", "28", "32", "36"]);
    expect(out.main.costs["0"]).toBeCloseTo(0.6930480201239823, 14);
    expect(out.sweep.map((r: { nH: number }) => r.nH)).toEqual([1, 2, 3, 4, 5, 20, 50]);
    expect(out.sweep.every((r: { iterations: number }) => r.iterations === 3)).toBe(true);
    expect(out.logisticRegression.accuracy).toBe(47);
    expect(out.gradientCheck.allParameters).toBeLessThan(1e-7);
    expect(stderr).toContain("n_h = 4: iteration 0/40");
    expect(stderr).toContain("sweep n_h = 50: iteration 2/3");
  });

  test("--onnx writes the trained net; fromOnnx reads it back: W1…b2 and probabilities for a new batch size", () => {
    const file = join(outDir, "planar.onnx");
    const { status, stdout } = demo("--iterations", "30", "--no-sweep", "--no-plots", "--onnx", file);
    expect(status).toBe(0);
    expect(stdout).toContain(`ONNX model (input X (2, m), output A (1, m)): ${file}`);
    const model = fromOnnx(new Uint8Array(readFileSync(file)));
    expect(model.inputNames).toEqual(["X"]);
    expect(Object.keys(model.parameters).sort()).toEqual(["W1", "W2", "b1", "b2"]);
    const { A } = model.run({
      X: tensor([
        [0.5, -1],
        [2, 0],
      ]),
    });
    expect(A.shape).toEqual([1, 2]);
    expect(Array.from(A.data).every((a) => a > 0 && a < 1)).toBe(true);
  });

  test("--jit prints the same bytes as the eager run (wall-clock times aside), sweep included", () => {
    const args = ["--iterations", "300", "--sweep-iterations", "40", "--no-plots"];
    const eager = demo(...args);
    const jitted = demo(...args, "--jit");
    expect([eager.status, jitted.status]).toEqual([0, 0]);
    // Times are the only thing allowed to differ: "(0.75 s)", "5.31 s)", "  1.28 s", "Total time: 30.6 s".
    const untimed = (s: string) => s.replace(/\d+\.\d+ s\b/g, "<time> s");
    expect(untimed(jitted.stdout)).toBe(untimed(eager.stdout));
    expect(jitted.stdout).toContain("Cost after iteration 270: ");
    expect(jitted.stdout).toContain("Hidden layer sizes (40 iterations each");
    expect(untimed(jitted.stdout).match(/<time> s/g)?.length).toBe(1 + 1 + 7 + 1);
  });

  test("--jit --json: the same JSON object as the eager run (seconds aside)", () => {
    const args = ["--json", "--iterations", "200", "--sweep-iterations", "20", "--no-plots"];
    const [eager, jitted] = [demo(...args), demo(...args, "--jit")].map((r) => {
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout.replace(/"seconds":[0-9.e+-]+/g, '"seconds":0'));
    });
    expect(jitted).toEqual(eager);
    expect(Object.keys(jitted.main.costs)).toHaveLength(10);
  });

  test("human output with pictures: the course's lines, and SVG + PNG files in --out", () => {
    const { status, stdout } = demo("--iterations", "30", "--no-sweep", "--out", outDir, "--dataset", "moons");
    expect(status).toBe(0);
    expect(stdout).toContain("Cost after iteration 0: 0.69");
    expect(stdout).toMatch(/Accuracy: \d+\.\d\d% \(training set/);
    expect(stdout).not.toContain("Hidden layer sizes");
    for (const name of ["logistic-regression", "decision-boundary", "cost"]) {
      const svg = readFileSync(join(outDir, `moons-${name}.svg`), "utf8");
      expect(svg.startsWith("<svg xmlns")).toBe(true);
      expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    }
    expect(existsSync(join(outDir, "moons-sweep.svg"))).toBe(false);
    // PNG signature, when resvg's prebuilt binary loads on this platform.
    if (existsSync(join(outDir, "moons-cost.png"))) {
      expect([...readFileSync(join(outDir, "moons-cost.png")).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
  });
});

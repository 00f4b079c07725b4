/** Tidy: every source module is placed in a layer, imports point down the layers, files are short, open with a one-line doc comment, entries list their exports by name, and module state is listed in ARCHITECTURE.md. */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const MAX_LINES = 400;

/**
 * Each package's layers, lowest first, and the modules (paths under src/, or a folder prefix ending in "/") in each.
 * A module may import at run time only modules of its own or a lower layer (type-only imports are free); the few
 * upward imports the design wants are listed in `upward`. A new module fails this test until it is placed here —
 * place it by what it imports, and say so in ARCHITECTURE.md's codemap.
 */
const layerTables: Record<string, { layers: [string, string[]][]; upward: [string, string][] }> = {
  core: {
    layers: [
      ["foundation", ["errors.ts", "shape.ts", "math/", "random/mt19937.ts"]],
      ["kernels", ["kernels/"]],
      ["tape", ["autodiff/node.ts", "autodiff/gradMode.ts", "autodiff/forwardMode.ts", "autodiff/tracing.ts"]],
      ["tensor", ["tensor.ts", "format.ts", "random/randomState.ts"]],
      ["ops", ["ops/", "creation.ts"]],
      [
        "engine",
        [
          "autodiff/pendingGradients.ts",
          "autodiff/backward.ts",
          "autodiff/forward.ts",
          "autodiff/transforms.ts",
          "autodiff/forwardTransforms.ts",
          "autodiff/gradcheck.ts",
          "autodiff/gradcheckFloat32.ts",
          "autodiff/customOp.ts",
        ],
      ],
      ["jit", ["jit/"]],
      ["inspect", ["inspect/"]],
      ["entries", ["index.ts", "internal.ts", "node.ts", "index.node.ts"]],
    ],
    // The hub: Tensor's methods delegate to the op functions, `backward()` to the engine, and `detach()` records a
    // stop-gradient node while tracing. `record` hands each op to the forward-mode engine while a jvp runs.
    upward: [
      ["tensor.ts", "ops/index.ts"],
      ["tensor.ts", "autodiff/backward.ts"],
      ["tensor.ts", "ops/trace/nonDifferentiable.ts"],
      ["autodiff/node.ts", "autodiff/forward.ts"],
    ],
  },
  layers: {
    layers: [
      [
        "parts",
        [
          "model.ts",
          "activations.ts",
          "initializers.ts",
          "losses.ts",
          "schedules.ts",
          "dataChecks.ts",
          "divergence.ts",
          "optimizers.ts",
          "regularization.ts",
          "serialize.ts",
        ],
      ],
      [
        "models",
        [
          "logisticRegression.ts",
          "closedForm.ts",
          "closedFormRegularized.ts",
          "gradcheckModel.ts",
          "dense.ts",
          "sequential.ts",
          "twoLayerNet.ts",
          "fit.ts",
        ],
      ],
      ["entries", ["index.ts", "node.ts"]],
    ],
    upward: [],
  },
  testing: {
    layers: [
      ["parts", ["config.ts", "fresh.ts", "shapes.ts", "tensors.ts", "pool.ts", "graphOps.ts", "assertions.ts"]],
      ["generators", ["graphs.ts", "networks.ts"]],
      ["entries", ["index.ts"]],
    ],
    upward: [],
  },
};

/** The packages each package may import (anything else is relative); node: builtins only in the Node entries. */
/**
 * The Node-only modules: the `./node` subpath entries and core's main entry under the "node" export condition
 * (index.ts plus the GEMM worker's automatic start).
 */
const nodeEntries = ["node.ts", "index.node.ts"];

const allowedPackages: Record<string, string[]> = {
  core: [],
  layers: ["@backprop/core"],
  testing: ["@backprop/core", "@backprop/layers", "fast-check"],
};

/** Names ops/index.ts exports that neither core entry re-exports on purpose (Tensor's in-place methods use them). */
const privateOpHelpers = ["inPlace", "inPlaceScaled"];

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

const sourceFiles = (folder: string) =>
  walk(join(root, folder))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".generated.ts"))
    .map((f) => relative(root, f).split("\\").join("/"));

interface ImportEdge {
  specifier: string;
  typeOnly: boolean;
  names: string[];
}

/** The static imports and re-exports of a module (`import … from`, `export … from`, `import "…"`). */
function importsOf(text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const pattern = /^(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*"([^"]+)";|^import\s+"([^"]+)";/gms;
  for (const match of text.matchAll(pattern)) {
    if (match[4] !== undefined) {
      edges.push({ specifier: match[4], typeOnly: false, names: [] });
      continue;
    }
    const clause = match[2] ?? "";
    const braced = /\{([^}]*)\}/s.exec(clause)?.[1];
    const names = (braced ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const everyNameIsType =
      braced !== undefined && clause.trim().startsWith("{") && names.every((n) => n.startsWith("type "));
    edges.push({ specifier: match[3] ?? "", typeOnly: match[1] !== undefined || everyNameIsType, names });
  }
  return edges;
}

function layerOf(pkg: string, module: string): number {
  const { layers } = layerTables[pkg] ?? { layers: [] };
  return layers.findIndex(([, modules]) =>
    modules.some((m) => (m.endsWith("/") ? module.startsWith(m) : module === m)),
  );
}

const packageNames = Object.keys(layerTables);
const modulesOf = (pkg: string) =>
  sourceFiles(`packages/${pkg}/src`).map((f) => f.slice(`packages/${pkg}/src/`.length));

describe("tidy: the module layers of each package", () => {
  it.each(packageNames)("every module of %s is placed in its layer table (a new module: add it there)", (pkg) => {
    const unplaced = modulesOf(pkg).filter((m) => layerOf(pkg, m) < 0);
    expect(unplaced, `place these in test/tidy.test.ts's layerTables.${pkg}`).toEqual([]);
  });

  it.each(packageNames)("no entry of %s's layer table names a module that does not exist", (pkg) => {
    const modules = modulesOf(pkg);
    const stale = (layerTables[pkg]?.layers ?? [])
      .flatMap(([, entries]) => entries)
      .filter((m) => !modules.some((module) => (m.endsWith("/") ? module.startsWith(m) : module === m)));
    expect(stale).toEqual([]);
  });

  it.each(packageNames)("%s: run-time imports point to the same or a lower layer (or a listed upward edge)", (pkg) => {
    const table = layerTables[pkg];
    const wrong: string[] = [];
    for (const module of modulesOf(pkg)) {
      const text = readFileSync(join(root, "packages", pkg, "src", module), "utf8");
      for (const edge of importsOf(text)) {
        if (edge.typeOnly || !edge.specifier.startsWith(".")) continue;
        const target = posix.join(posix.dirname(module), edge.specifier).replace(/\.js$/, ".ts");
        const allowed = table?.upward.some(([from, to]) => from === module && to === target);
        if (layerOf(pkg, target) > layerOf(pkg, module) && !allowed) wrong.push(`${module} → ${target}`);
      }
    }
    expect(wrong, "a lower layer imports a higher one (see ARCHITECTURE.md)").toEqual([]);
  });

  it.each(packageNames)("%s imports only its allowed packages, and node: builtins only in its Node entries", (pkg) => {
    const wrong: string[] = [];
    for (const module of modulesOf(pkg)) {
      const text = readFileSync(join(root, "packages", pkg, "src", module), "utf8");
      for (const { specifier } of importsOf(text)) {
        if (specifier.startsWith(".")) continue;
        const ok = specifier.startsWith("node:")
          ? nodeEntries.includes(module)
          : allowedPackages[pkg]?.includes(specifier);
        if (!ok) wrong.push(`${module} imports ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(packageNames)("ARCHITECTURE.md's codemap names every module of %s", (pkg) => {
    const architecture = readFileSync(join(root, "ARCHITECTURE.md"), "utf8");
    const unnamed = modulesOf(pkg).filter((m) => !architecture.includes(posix.basename(m)));
    expect(unnamed, "name them in ARCHITECTURE.md's codemap").toEqual([]);
  });

  it.each(packageNames)("ARCHITECTURE.md's module-state list names every module-level variable of %s", (pkg) => {
    const architecture = readFileSync(join(root, "ARCHITECTURE.md"), "utf8");
    const list = architecture.slice(architecture.indexOf("The module state, all of it:"));
    const state = modulesOf(pkg).flatMap(
      (m) =>
        [
          ...readFileSync(join(root, `packages/${pkg}/src`, m), "utf8").matchAll(
            /^(?:export )?(?:let (\w+)|const (\w+)(?:: [^=]+)? = new (?:Set|Map)\b)/gm,
          ),
        ]
          .map((match) => `${m}: ${match[1] ?? match[2]}`)
          .filter((s) => !/: [A-Z0-9_]+$/.test(s)), // CONSTANT_CASE: a fixed table, not state
    );
    const unlisted = state.filter((s) => !list.includes(`\`${s.slice(s.indexOf(": ") + 2)}\``));
    expect(unlisted, "list them in ARCHITECTURE.md's module state (Invariants)").toEqual([]);
  });

  it("every op function ops/index.ts exports is exported by @backprop/core or @backprop/core/internal", () => {
    const exported = (file: string) =>
      importsOf(readFileSync(join(root, "packages/core/src", file), "utf8")).flatMap((e) =>
        e.names.map((n) => n.replace(/^type\s+/, "").replace(/^.*\s+as\s+/, "")),
      );
    const public_ = new Set([...exported("index.ts"), ...exported("internal.ts")]);
    const missing = exported("ops/index.ts").filter((n) => !public_.has(n) && !privateOpHelpers.includes(n));
    expect(missing, "list them by name in packages/core/src/index.ts (then run pnpm api:update)").toEqual([]);
  });
});

describe("tidy: source files", () => {
  const files = [
    ...packageNames.flatMap((pkg) => sourceFiles(`packages/${pkg}/src`)),
    ...readdirSync(join(root, "examples")).flatMap((example) => sourceFiles(`examples/${example}/src`)),
    ...sourceFiles("bench/src"),
  ];

  it("there are source files to check", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it(`no source file is over ${MAX_LINES} lines (split it by design)`, () => {
    const long = files
      .map((f) => [f, readFileSync(join(root, f), "utf8").split("\n").length - 1] as const)
      .filter(([, lines]) => lines > MAX_LINES)
      .map(([f, lines]) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it("every source file opens with a one-line doc comment /** … */", () => {
    const bare = files.filter((f) => !/^\/\*\* .+ \*\/\r?\n/.test(readFileSync(join(root, f), "utf8")));
    expect(bare).toEqual([]);
  });

  it("no source file re-exports a whole module (export * from …): entries list their exports by name", () => {
    // Except core's Node entry, which is index.ts (whose names are listed) plus a default, and says so.
    const nodeMain = "packages/core/src/index.node.ts";
    const star = files.filter((f) => {
      const stars = readFileSync(join(root, f), "utf8").match(/^export\s+\*.*$/gm) ?? [];
      return f === nodeMain ? stars.join() !== 'export * from "./index.js";' : stars.length > 0;
    });
    expect(star).toEqual([]);
  });
});

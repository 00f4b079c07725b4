import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// core and layers must run in browsers: no Node built-ins, globals or runtime dependencies (the Node entries excepted:
// the node.ts subpaths and core's index.node.ts, what `@backprop/core` resolves to under the "node" export condition).
const root = fileURLToPath(new URL("../../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("portability", () => {
  const files = [...sources(join(root, "packages/core/src")), ...sources(join(root, "packages/layers/src"))].filter(
    (f) => !f.endsWith(join("src", "node.ts")) && !f.endsWith(join("src", "index.node.ts")),
  );

  it("only Node resolves @backprop/core to index.node.js: every other condition gets the Node-free index.js", () => {
    const pkg = JSON.parse(readFileSync(join(root, "packages/core/package.json"), "utf8"));
    expect(pkg.exports["."]).toEqual({
      types: "./dist/index.d.ts",
      node: "./dist/index.node.js",
      default: "./dist/index.js", // import, require (Node 20.19+ loads ES modules), browsers and bundlers
    });
    const nodeEntry = readFileSync(join(root, "packages/core/src/index.node.ts"), "utf8");
    expect(nodeEntry).toMatch(/^export \* from "\.\/index\.js";$/m); // the same API as the browser entry
  });
  it.each(files.map((f) => [f.slice(root.length)]))("%s uses no Node-only API", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    expect(text).not.toMatch(/from\s+["']node:|require\(|\bBuffer\.|\bprocess\.|__dirname/);
  });

  it("core has no runtime dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(root, "packages/core/package.json"), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});

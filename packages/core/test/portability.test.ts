import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// core and layers must run in browsers: no Node built-ins, globals or runtime dependencies (the node.ts entries excepted).
const root = fileURLToPath(new URL("../../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("portability", () => {
  const files = [...sources(join(root, "packages/core/src")), ...sources(join(root, "packages/layers/src"))].filter(
    (f) => !f.endsWith(join("src", "node.ts")),
  );
  it.each(files.map((f) => [f.slice(root.length)]))("%s uses no Node-only API", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    expect(text).not.toMatch(/from\s+["']node:|require\(|\bBuffer\.|\bprocess\.|__dirname/);
  });

  it("core has no runtime dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(root, "packages/core/package.json"), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});

/** Every property in every package reads its run count, seed and path through propertyParams (the replay recipe in test/README.md). */
import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** .ts files under dir, skipping node_modules (its workspace links lead back into the packages). */
function tsFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (e.name === "node_modules") return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith(".ts") ? [path] : [];
  });
}

/** Test sources of every workspace package (vitest.config.ts's include list). */
function testFiles(): string[] {
  const dirs = ["test", "bench/test"];
  for (const group of ["packages", "examples"]) {
    for (const name of readdirSync(join(root, group))) dirs.push(join(group, name, "test"));
  }
  return dirs.flatMap((dir) => tsFiles(join(root, dir)));
}

/** The text of the call whose "(" is at `open` (brackets balanced; strings and comments are rare enough here). */
function callText(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return source.slice(open, i + 1);
    }
  }
  return source.slice(open);
}

describe("properties take numRuns, seed and path from propertyParams", () => {
  const calls = testFiles().flatMap((file) => {
    const source = readFileSync(file, "utf8");
    return [...source.matchAll(/\b(?:test|it)\.prop\(|\bfc\.assert\(/g)].map((m) => ({
      where: `${relative(root, file)}:${source.slice(0, m.index).split("\n").length}`,
      text: callText(source, (m.index ?? 0) + m[0].length - 1),
    }));
  });

  it("finds the properties of core, layers, testing and test/ (the scan works)", () => {
    const packages = new Set(calls.map((c) => c.where.split("/").slice(0, 2).join("/")));
    for (const p of ["packages/core", "packages/layers", "packages/testing"]) expect(packages).toContain(p);
    expect(calls.some((c) => c.where.startsWith("test/"))).toBe(true);
    expect(calls.length).toBeGreaterThan(40);
  });

  it("every test.prop / fc.assert passes propertyParams(...)", () => {
    const without = calls.filter((c) => !/propertyParams\(/.test(c.text)).map((c) => c.where);
    expect(without).toEqual([]);
  });
});

/** The doc comments' @example results are true: every example line whose comment is a literal value gives that value. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as core from "@backprop/core";
import * as layers from "@backprop/layers";
import * as testing from "@backprop/testing";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));

/** What an example in each package's sources can name: core's public API, plus its own package's. */
const scopes: Record<string, Record<string, unknown>> = {
  core,
  layers: { ...core, ...layers },
  testing: { ...core, ...layers, ...testing, fc },
  onnx: { ...core, ...layers }, // its own examples all read a model or data from their context
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".generated.ts") ? [path] : [];
  });
}

/** Each `@example` block of a doc comment, as lines of code. */
function exampleBlocks(text: string): string[][] {
  const blocks: string[][] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const start = line.match(/^\s*\* ?@example ?(.*)$/);
    if (!start) return;
    const block = [start[1] as string];
    for (let j = i + 1; j < lines.length && !/^\s*\*(\/| ?@\w)/.test(lines[j] as string); j++) {
      block.push((lines[j] as string).replace(/^\s*\* ?/, ""));
    }
    blocks.push(block.filter((l) => l.trim() !== ""));
  });
  return blocks;
}

/** A comment that is a value: JSON (numbers, strings, arrays, true/false), or ±Infinity/NaN. */
function literal(comment: string): { value: unknown } | null {
  const c = comment.trim();
  if (c === "NaN" || c === "Infinity" || c === "-Infinity") return { value: Number(c) };
  try {
    return { value: JSON.parse(c) };
  } catch {
    return null;
  }
}

interface Claim {
  where: string;
  setup: string[];
  expression: string;
  value: unknown;
}

/** The claims: `expr; // value`, or `expr;` followed by a line `// value`; the block's earlier lines are the setup. */
function claims(): Claim[] {
  const found: Claim[] = [];
  for (const pkg of Object.keys(scopes)) {
    for (const file of sourceFiles(join(root, "packages", pkg, "src"))) {
      for (const block of exampleBlocks(readFileSync(file, "utf8"))) {
        block.forEach((line, k) => {
          const inline = line.match(/^(.*?);?\s*\/\/ (.*)$/);
          const own = line.match(/^\s*\/\/ (.*)$/);
          const [expression, comment] = own ? [block[k - 1] ?? "", own[1]] : inline ? [inline[1], inline[2]] : [];
          const value = comment === undefined ? null : literal(comment);
          if (value === null || expression === undefined || expression.trim() === "") return;
          const setup = block.slice(0, own ? k - 1 : k).filter((l) => !/^\s*\/\//.test(l));
          const statements = expression.replace(/;\s*$/, "").trim();
          const last = statements.lastIndexOf("; "); // `const rs = …; expr`: the statements before expr are setup
          const where = `${file.slice(root.length)}: ${statements}`;
          if (last >= 0) setup.push(statements.slice(0, last + 1));
          found.push({ where, setup, expression: statements.slice(last + 1).trim(), value: value.value });
        });
      }
    }
  }
  return found;
}

/** Runs the setup and returns the expression's value (a tensor as nested arrays); null when the example is not self-contained. */
function evaluate(claim: Claim): { value: unknown } | null {
  const scope = scopes[claim.where.split("/")[1] as string] as Record<string, unknown>;
  const body = `${claim.setup.join("\n")}\nreturn (${claim.expression});`;
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const names = Object.keys(scope);
  try {
    const value = new Function(...names, js)(...names.map((n) => scope[n]));
    return { value: value instanceof core.Tensor ? value.toArray() : value };
  } catch (error) {
    if (error instanceof ReferenceError) return null; // it names something from its context (W, X, net, …)
    throw error;
  }
}

describe("doc comments' @example results", () => {
  const all = claims().filter((c) => !/\bawait\b/.test([...c.setup, c.expression].join("\n")));
  // Self-contained: it names only the package's public API (an example reading W, X or net from its context, or an
  // internal helper, throws a ReferenceError and is left out); any other error fails its test below.
  const checked = all.filter((c) => {
    try {
      return evaluate(c) !== null;
    } catch {
      return true;
    }
  });

  it("are found in the sources, and at least 20 of them are self-contained and checked here", () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });

  it.each(checked.map((c) => [c.where, c] as const))("%s", (_, claim) => {
    expect(evaluate(claim)?.value).toEqual(claim.value);
  });
});

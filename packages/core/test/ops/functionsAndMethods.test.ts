import { readFileSync } from "node:fs";
import * as core from "@backprop/core";
import { Tensor, tensor } from "@backprop/core";
import { describe, expect, it } from "vitest";

// The core README's ops table says every op is a function and a method, except the functions-only ops it names.
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const functionsOnly = ["where", "concat", "stack"];

/** The op names in the README's ops table: backticked identifiers, parenthesised remarks dropped. */
function readmeOps(): string[] {
  const table = readme.slice(readme.indexOf("| family | ops |"));
  const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);
  return rows.flatMap((row) => {
    const ops = (row.replaceAll("\\|", "").split("|")[2] ?? "").replace(/\([^)]*\)/g, "");
    return [...ops.matchAll(/`([^`]+)`/g)].flatMap((m) => (m[1] ?? "").split(/\s+/)).filter((n) => /^\w+$/.test(n));
  });
}

const exported = core as unknown as Record<string, unknown>;
const methods = Tensor.prototype as unknown as Record<string, unknown>;

describe("every op the README lists is a function and a method", () => {
  const ops = readmeOps();

  it("the table lists the ops (46 names in 5 rows)", () => {
    expect(ops.length).toBe(46);
    expect(ops).toContain("greater");
    expect(ops).toContain("astype");
  });

  it.each(ops)("%s is exported from @backprop/core as a function", (name) => {
    expect(typeof exported[name]).toBe("function");
  });

  it.each(ops.filter((n) => !functionsOnly.includes(n)))("%s is a Tensor method", (name) => {
    expect(typeof methods[name]).toBe("function");
  });

  it("the README names the functions-only ops, and they are not methods", () => {
    for (const name of functionsOnly) {
      expect(readme).toContain(`\`${name}\``);
      expect(methods[name]).toBeUndefined();
    }
    expect(readme).toMatch(/all but `where`, `concat` and `stack`, which are\s+functions only/);
  });

  it("`.T` is the transpose", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(x.T.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });
});

describe("documented aliases give the primary name's values", () => {
  const x = tensor([1, 2, 3]);
  it.each([
    // [alias method, primary method, expected for x ∘ 2 with x = [1, 2, 3] (by hand)]
    ["gt", "greater", [0, 0, 1]],
    ["ge", "greaterEqual", [0, 1, 1]],
    ["lt", "less", [1, 0, 0]],
    ["le", "lessEqual", [1, 1, 0]],
    ["eq", "equal", [0, 1, 0]],
    ["ne", "notEqual", [1, 0, 1]],
  ] as const)("x.%s(2) equals x.%s(2)", (alias, primary, expected) => {
    const call = (name: string) => (methods[name] as (this: Tensor, o: number) => Tensor).call(x, 2).toArray();
    expect(call(primary)).toEqual(expected);
    expect(call(alias)).toEqual(expected);
  });

  it("cast is astype; crLog, crSin, crCos are the correctlyRounded functions", () => {
    const y = core.cast(x, "float32");
    expect(y.dtype).toBe("float32");
    expect(core.astype(x, "float32").dtype).toBe("float32");
    expect(x.astype("float32").data).toEqual(y.data);
    expect(core.crLog).toBe(core.correctlyRoundedLog);
    expect(core.crSin).toBe(core.correctlyRoundedSin);
    expect(core.crCos).toBe(core.correctlyRoundedCos);
    // ln 2 correctly rounded is the double Math.LN2 (0.6931471805599453, also Python's math.log(2))
    expect(core.correctlyRoundedLog(2)).toBe(Math.LN2);
  });
});

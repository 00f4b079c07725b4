/** The docs are true: README code blocks type-check strictly (with usage.ts), and marked output blocks are what the programs print. */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const readmes = ["README.md", ...readdirSync(join(root, "packages")).map((p) => `packages/${p}/README.md`)]
  .concat(readdirSync(join(root, "examples")).map((e) => `examples/${e}/README.md`))
  .filter((path) => {
    try {
      readFileSync(join(root, path));
      return true;
    } catch {
      return false;
    }
  });

/** Every ```ts block a README marks with `<!-- checked: <file> -->` on the line before it. */
function markedBlocks(): { readme: string; file: string; code: string }[] {
  const blocks: { readme: string; file: string; code: string }[] = [];
  for (const readme of readmes) {
    const text = readFileSync(join(root, readme), "utf8");
    for (const match of text.matchAll(/<!-- checked: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)) {
      blocks.push({ readme, file: match[1] as string, code: match[2] as string });
    }
  }
  return blocks;
}

/**
 * Every ```text block a README marks with `<!-- output: <program> [args] -->` on the line before it: what the built
 * program (a path from the repository root, run with node) prints.
 */
function outputBlocks(): { readme: string; command: string[]; text: string }[] {
  const blocks: { readme: string; command: string[]; text: string }[] = [];
  for (const readme of readmes) {
    const text = readFileSync(join(root, readme), "utf8");
    for (const match of text.matchAll(/<!-- output: ([^>]+?) -->\n```text\n([\s\S]*?)```\n/g)) {
      blocks.push({ readme, command: (match[1] as string).split(" "), text: match[2] as string });
    }
  }
  return blocks;
}

/**
 * The block as a pattern over the output: its lines in order and consecutive, except that a line `...` stands for any
 * number of lines and `…` within a line for any text (timings, elided values).
 */
function outputPattern(block: string): RegExp {
  const literal = (line: string) => line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/…/g, ".*?");
  const lines = block.replace(/\n$/, "").split("\n");
  const body = lines.map((line) => (line.trim() === "..." ? "(?:[^\\n]*\\n)*?" : `${literal(line)}\\n`)).join("");
  return new RegExp(body);
}

/** A snippet file: declarations for the names the README block takes from its surroundings, the marker, the block. */
const MARKER = "// ---- the README block, verbatim:\n";

describe("README code blocks", () => {
  const blocks = markedBlocks();

  it("are marked in the READMEs (the guide's programs and the snippets)", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it.each(blocks.map((b) => [`${b.readme} → ${b.file}`, b] as const))(
    "%s: the block equals its checked file",
    (_, b) => {
      const file = readFileSync(join(root, b.file), "utf8");
      const checked = file.includes(MARKER) ? file.slice(file.indexOf(MARKER) + MARKER.length) : file;
      expect(b.code).toBe(checked);
    },
  );
});

describe("README output blocks", () => {
  const blocks = outputBlocks();

  it("are marked in the examples' READMEs", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it("the pattern reads `...` as any lines and `…` as any text, and nothing else loosely", () => {
    const pattern = outputPattern("a (1.5 s)\n...\nd: … s\n");
    expect(pattern.test("x\na (1.5 s)\nb\nc\nd: 2.0 s\n")).toBe(true);
    expect(pattern.test("a (1.5 s)\nd: 2.0 s\n")).toBe(true);
    expect(pattern.test("a (1x5 s)\nd: 2.0 s\n")).toBe(false);
    expect(pattern.test("a (1.5 s)\nd: 2.0 t\n")).toBe(false);
  });

  it.concurrent.each(blocks.map((b) => [`${b.readme} → node ${b.command.join(" ")}`, b] as const))(
    "%s: the program prints the block",
    async (_, b) => {
      const [program, ...args] = b.command;
      const { stdout } = await promisify(execFile)(process.execPath, [join(root, program as string), ...args], {
        cwd: root,
        env: { ...process.env, BACKPROP_GEMM_THREADS: "1" },
      });
      expect(
        outputPattern(b.text).test(stdout),
        `expected the output to contain:\n${b.text}\nit printed:\n${stdout}`,
      ).toBe(true);
    },
  );
});

describe("strict typings", () => {
  it("test/typings/tsconfig.json (usage.ts, the README snippets, the guide's programs) type-checks against the built .d.ts", () => {
    const configPath = join(root, "test/typings/tsconfig.json");
    const config = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
    expect(parsed.options.noUncheckedIndexedAccess).toBe(true);
    expect(parsed.fileNames.length).toBeGreaterThanOrEqual(3);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(root.length)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(messages).toEqual([]);
  });
});

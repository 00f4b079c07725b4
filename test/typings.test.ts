/** The typings match the docs: the READMEs' code blocks and test/typings/usage.ts type-check under strict settings with noUncheckedIndexedAccess. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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

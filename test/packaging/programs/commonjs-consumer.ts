/**
 * Packaging program: a CommonJS consumer's `require` of every entry point. Where Node can require ES modules (20.19+,
 * 22.12+: `process.features.require_module`) each entry loads, as the very module `import` gets (same exports, same
 * objects); where it cannot, each throws ERR_REQUIRE_ESM, whose message says to use import() — never
 * ERR_PACKAGE_PATH_NOT_EXPORTED ("No exports main defined"), which reads as a broken package.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const entries = [
  "@backprop/core",
  "@backprop/core/node",
  "@backprop/layers",
  "@backprop/layers/node",
  "@backprop/testing",
  "@backprop/onnx",
];
const consumer = `"use strict";
(async () => {
  const results = {};
  for (const name of ${JSON.stringify(entries)}) {
    try {
      const required = require(name);
      const imported = await import(name);
      const names = Object.keys(imported);
      const same = names.every((key) => required[key] === imported[key]);
      results[name] = same ? names.sort() : "different objects from require and import";
    } catch (error) {
      results[name] = error.code ?? String(error);
    }
  }
  process.stdout.write(JSON.stringify(results));
})();
`;

const dir = mkdtempSync(join(process.cwd(), "commonjs-")); // inside the project, so its node_modules resolve
try {
  const file = join(dir, "consumer.cjs");
  writeFileSync(file, consumer);
  const got = JSON.parse(execFileSync(process.execPath, [file], { encoding: "utf8" })) as Record<string, unknown>;
  const requiresEsm = (process.features as { require_module?: boolean }).require_module === true;
  for (const name of entries) {
    const want = requiresEsm ? Object.keys(await import(name)).sort() : "ERR_REQUIRE_ESM";
    if (JSON.stringify(got[name]) !== JSON.stringify(want)) {
      throw new Error(`require("${name}") gave ${JSON.stringify(got[name])}, expected ${JSON.stringify(want)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Packs @backprop/core, /layers, /testing and /onnx as they would be published (after `pnpm build`), lints each tarball
// with publint and @arethetypeswrong/cli (offline), then installs the tarballs with npm into an empty project outside
// the workspace and, for every program in test/packaging/programs/*.ts, type-checks it under moduleResolution
// NodeNext and Bundler (strict, noUncheckedIndexedAccess, library .d.ts files checked too) and runs it with plain
// Node (ESM). A program passes by exiting with code 0. Keep programs standalone: they may import only @backprop/*,
// fast-check and node: builtins.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = fileURLToPath(new URL("..", import.meta.url));
const packages = ["core", "layers", "testing", "onnx"];
const programsDir = join(root, "test/packaging/programs");
const keep = process.argv.includes("--keep"); // leave the temporary project for inspection
// Third-party packages the programs may use, at the workspace's pinned versions.
const thirdParty = ["fast-check", "@types/node"].map((name) => {
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies[name];
  return `${name}@${version}`;
});

const work = mkdtempSync(join(tmpdir(), "backprop-packaging-"));
let failed = false;
const fail = (message) => {
  console.error(`check-packages: ${message}`);
  failed = true;
};
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe" });

try {
  // 1. Pack, the way `pnpm publish` would (workspace:* becomes the real version).
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const tarballOf = {};
  for (const name of packages) {
    const out = run(
      "npx",
      ["--yes", "pnpm@10.34.8", "pack", "--pack-destination", tarballs],
      join(root, "packages", name),
    );
    const file = out.trim().split("\n").at(-1);
    tarballOf[name] = file;
    const listing = run("tar", ["-tzf", file], work);
    if (/\.tsbuildinfo\b/.test(listing)) fail(`${name}: the tarball carries a .tsbuildinfo build cache`);
    if (!listing.includes("package/dist/index.d.ts"))
      fail(`${name}: the tarball has no dist/index.d.ts (run pnpm build)`);
  }

  // 2. publint (every level, suggestions included) and arethetypeswrong (ESM-only package; no registry look-ups).
  for (const name of packages) {
    const buffer = readFileSync(tarballOf[name]);
    const tarball = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const { messages, pkg } = await publint({ pack: { tarball }, level: "suggestion", strict: true });
    for (const message of messages) fail(`${name}: publint: ${formatMessage(message, pkg)}`);
    try {
      run(join(root, "node_modules/.bin/attw"), [
        tarballOf[name],
        "--profile",
        "esm-only",
        "--no-definitely-typed",
        "--format",
        "ascii",
      ]);
    } catch (error) {
      fail(`${name}: @arethetypeswrong/cli reports problems:\n${error.stdout}${error.stderr}`);
    }
  }

  // 3. An empty project outside the workspace, with the tarballs installed by npm.
  const project = join(work, "project");
  mkdirSync(join(project, "programs"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      ...packages.map((name) => tarballOf[name]),
      ...thirdParty,
    ],
    project,
  );
  const programs = readdirSync(programsDir).filter((f) => f.endsWith(".ts"));
  if (programs.length === 0) fail(`no programs in ${programsDir}`);
  for (const program of programs) copyFileSync(join(programsDir, program), join(project, "programs", program));

  // 4. Type-check under both resolutions; NodeNext also emits the JavaScript that Node runs.
  const strict = {
    target: "ES2022",
    lib: ["ES2022"],
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
  };
  const configs = {
    NodeNext: { ...strict, module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" },
    Bundler: { ...strict, module: "Preserve", moduleResolution: "Bundler", noEmit: true },
  };
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  for (const [resolution, compilerOptions] of Object.entries(configs)) {
    const config = `tsconfig.${resolution}.json`;
    writeFileSync(join(project, config), JSON.stringify({ compilerOptions, include: ["programs/*.ts"] }));
    try {
      run(process.execPath, [tsc, "-p", config], project);
      console.log(`check-packages: ${programs.length} programs type-check under moduleResolution ${resolution}`);
    } catch (error) {
      fail(`type errors under moduleResolution ${resolution}:\n${error.stdout}${error.stderr}`);
    }
  }

  // 5. Run every program with plain Node.
  for (const program of programs) {
    const js = join(project, "out", program.replace(/\.ts$/, ".js"));
    try {
      run(process.execPath, [js], project);
      console.log(`check-packages: test/packaging/programs/${program} runs`);
    } catch (error) {
      fail(`test/packaging/programs/${program} failed (exit ${error.status}):\n${error.stdout}${error.stderr}`);
    }
  }
} catch (error) {
  fail(`${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
} finally {
  if (keep) console.log(`check-packages: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log("check-packages: publint and arethetypeswrong report nothing; the installed tarballs work");

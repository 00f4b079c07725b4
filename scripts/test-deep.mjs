/** `pnpm test:deep`: the property files with BACKPROP_PROPERTY_RUNS raised and a recorded seed, optionally one vitest shard of them. */
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { appendFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const vitest = join(root, "node_modules/vitest/vitest.mjs");
const DEFAULT_RUNS = "10000";

const usage = `Usage: pnpm test:deep [vitest options, e.g. --shard=2/4]
       node scripts/test-deep.mjs --check-shards=N
Runs every *.property.test.ts with BACKPROP_PROPERTY_RUNS=${DEFAULT_RUNS} (unless set) and a random
BACKPROP_PROPERTY_SEED (unless set), printed first. --check-shards=N lists the tests of shards 1/N … N/N
with \`vitest list\` and checks that they partition the files and together hold every property.`;

/** Every property file: test/*.property.test.ts and packages/<name>/test/**\/*.property.test.ts. */
function propertyFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(path);
      else if (entry.name.endsWith(".property.test.ts")) found.push(relative(root, path));
    }
  };
  walk(join(root, "test"));
  for (const pkg of readdirSync(join(root, "packages"))) {
    const tests = join(root, "packages", pkg, "test");
    try {
      walk(tests);
    } catch {
      // a package without tests
    }
  }
  return found.sort();
}

/** The tests `vitest list` collects (file and name, the fast-check seed suffix removed), for one shard or all. */
function listTests(files, shard) {
  const out = join(tmpdir(), `backprop-list-${process.pid}-${shard ?? "all"}.json`);
  const args = [vitest, "list", `--json=${out}`, ...(shard ? [`--shard=${shard}`] : []), ...files];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`vitest list ${shard ?? ""} failed with status ${result.status}`);
  const tests = JSON.parse(readFileSync(out, "utf8"));
  rmSync(out);
  return tests.map((t) => `${relative(root, t.file)} > ${t.name.replace(/ \(with seed=-?\d+\)$/, "")}`);
}

function checkShards(n, files) {
  const all = listTests(files);
  const seen = new Map();
  const fileOwner = new Map();
  for (let i = 1; i <= n; i++) {
    const tests = listTests(files, `${i}/${n}`);
    const shardFiles = new Set(tests.map((t) => t.split(" > ")[0]));
    console.log(`shard ${i}/${n}: ${shardFiles.size} file(s), ${tests.length} test(s): ${[...shardFiles].join(", ")}`);
    for (const f of shardFiles) {
      if (fileOwner.has(f)) throw new Error(`${f} is in shards ${fileOwner.get(f)} and ${i}`);
      fileOwner.set(f, i);
    }
    for (const t of tests) seen.set(t, (seen.get(t) ?? 0) + 1);
  }
  const emptyFiles = files.filter((f) => !all.some((t) => t.startsWith(`${f} > `)));
  if (emptyFiles.length > 0) throw new Error(`no tests collected from ${emptyFiles.join(", ")}`);
  const unsharded = files.filter((f) => !fileOwner.has(f));
  if (unsharded.length > 0) throw new Error(`in no shard: ${unsharded.join(", ")}`);
  const missing = all.filter((t) => !seen.has(t));
  const extra = [...seen.keys()].filter((t) => !all.includes(t));
  const twice = [...seen].filter(([, count]) => count > 1).map(([t]) => t);
  if (missing.length + extra.length + twice.length > 0) {
    throw new Error(`shards do not partition the tests: missing ${missing}, extra ${extra}, twice ${twice}`);
  }
  console.log(`${n} shards partition ${files.length} property files and hold all ${all.length} tests exactly once`);
}

const argv = process.argv.slice(2).filter((a) => a !== "--"); // `pnpm test:deep -- --shard=1/4` passes the "--" on
if (argv.includes("--help")) {
  console.log(usage);
  process.exit(0);
}
const files = propertyFiles();
const check = argv.find((a) => a.startsWith("--check-shards="));
if (check !== undefined) {
  const n = Number(check.split("=")[1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--check-shards needs a positive integer, got ${check}`);
  checkShards(n, files);
  process.exit(0);
}

const env = { ...process.env };
if (!env.BACKPROP_PROPERTY_RUNS) env.BACKPROP_PROPERTY_RUNS = DEFAULT_RUNS;
if (!env.BACKPROP_PROPERTY_SEED) env.BACKPROP_PROPERTY_SEED = String(randomInt(-(2 ** 31), 2 ** 31));
const shard = argv.find((a) => a.startsWith("--shard"));
const record = `BACKPROP_PROPERTY_RUNS=${env.BACKPROP_PROPERTY_RUNS} BACKPROP_PROPERTY_SEED=${env.BACKPROP_PROPERTY_SEED}${env.BACKPROP_PROPERTY_PATH ? ` BACKPROP_PROPERTY_PATH=${env.BACKPROP_PROPERTY_PATH}` : ""}`;
console.log(`test:deep: ${record}${shard ? ` (${shard})` : ""}`);
console.log(
  `test:deep: replay a failure with: ${record} npx vitest run <file> -t "<test name>" (add the reported path)`,
);
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `\`${record}\` ${shard ?? ""}\n`);
const result = spawnSync(process.execPath, [vitest, "run", ...files, ...argv], { cwd: root, stdio: "inherit", env });
process.exit(result.status ?? 1);

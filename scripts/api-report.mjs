// The public API of each package entry, as API Extractor reports it from the built .d.ts files (run after
// `pnpm build`). `node scripts/api-report.mjs` (in `pnpm test`) fails when an entry's API differs from its committed
// report `packages/<name>/api/<entry>.api.md`; `pnpm api:update` rewrites the reports. Review the diff of a report
// like code: it is the package's surface as a user sees it. `@backprop/core/internal` is not public and has no report.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const root = fileURLToPath(new URL("..", import.meta.url));
const update = process.argv.includes("--update");
// [package folder, entry .d.ts under dist/, report name]
const entries = [
  ["core", "index.d.ts", "core"],
  ["core", "node.d.ts", "core-node"],
  ["layers", "index.d.ts", "layers"],
  ["layers", "node.d.ts", "layers-node"],
  ["testing", "index.d.ts", "testing"],
  ["onnx", "index.d.ts", "onnx"],
];

const temp = mkdtempSync(join(tmpdir(), "backprop-api-"));
const stale = [];
const problems = [];
try {
  for (const [pkg, entry, reportName] of entries) {
    const folder = join(root, "packages", pkg);
    mkdirSync(join(folder, "api"), { recursive: true });
    const config = ExtractorConfig.prepare({
      configObjectFullPath: join(folder, "api-extractor.json"), // virtual: paths resolve from the package folder
      packageJsonFullPath: join(folder, "package.json"),
      configObject: {
        projectFolder: folder,
        mainEntryPointFilePath: join(folder, "dist", entry),
        compiler: { tsconfigFilePath: join(folder, "tsconfig.json") },
        apiReport: {
          enabled: true,
          reportFileName: `${reportName}.api.md`,
          reportFolder: join(folder, "api"),
          reportTempFolder: temp,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        newlineKind: "lf",
        messages: {
          // Doc-comment syntax is TypeDoc's business (`pnpm docs`); release tags are not used here.
          tsdocMessageReporting: { default: { logLevel: "none" } },
          extractorMessageReporting: {
            default: { logLevel: "warning", addToApiReportFile: false },
            "ae-missing-release-tag": { logLevel: "none" },
            "ae-undocumented": { logLevel: "none" }, // checked by `pnpm docs` (TypeDoc's notDocumented)
            // A subpath entry (./node) may use types its package's main entry exports; the report lists them.
            "ae-forgotten-export": { logLevel: "none", addToApiReportFile: true },
          },
          compilerMessageReporting: { default: { logLevel: "warning" } },
        },
      },
    });
    const result = Extractor.invoke(config, {
      localBuild: update,
      showVerboseMessages: false,
      messageCallback: (message) => {
        const aboutTheReportFile = message.messageId.startsWith("console-api-report"); // said below, plainer
        if ((message.logLevel === "warning" || message.logLevel === "error") && !aboutTheReportFile) {
          problems.push(`${pkg}/${entry}: ${message.text}`);
          message.handled = true;
        } else {
          message.handled = true; // the report says the rest
        }
      },
    });
    if (result.apiReportChanged && !update) stale.push(`packages/${pkg}/api/${reportName}.api.md`);
    else if (!result.succeeded) problems.push(`${pkg}/${entry}: API Extractor failed`);
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
for (const problem of problems) console.error(`api-report: ${problem}`);
if (stale.length > 0) {
  console.error(
    `api-report: the public API differs from its committed report in ${stale.join(", ")}.\n` +
      "If the change is intended, run `pnpm api:update` (it builds first), review the diff and commit the *.api.md files.",
  );
}
if (problems.length > 0 || stale.length > 0) process.exit(1);
console.log(`api-report: ${update ? "updated" : "matches"} ${entries.length} reports (packages/*/api/*.api.md)`);

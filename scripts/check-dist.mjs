// Imports each built package from plain Node, the way a user's workspace package would (after `pnpm build`).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const checks = [
  ["packages/layers", "@backprop/core", "m.tensor([[1, 2]]).matmul(m.tensor([[3], [4]])).item() === 11"],
  ["packages/layers", "@backprop/core/node", "typeof m.startGemmWorkerThread === 'function'"],
  ["packages/layers", "@backprop/core/internal", "typeof m.topologicalOrder === 'function'"],
  ["packages/testing", "@backprop/layers", "typeof m.TwoLayerNet === 'function'"],
  ["packages/testing", "@backprop/layers/node", "typeof m.saveParameters === 'function'"],
  ["packages/testing", "@backprop/testing", "typeof m.expectClose === 'function'"],
  ["packages/onnx", "@backprop/onnx", "typeof m.modelToOnnx === 'function'"],
];
for (const [cwd, specifier, claim] of checks) {
  const code = `import(${JSON.stringify(specifier)}).then((m) => { if (!(${claim})) { console.error("failed: ${claim.replaceAll('"', "'")}"); process.exit(1); } })`;
  try {
    execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: `${root}/${cwd}`, stdio: "inherit" });
  } catch {
    console.error(`check-dist: importing ${specifier} from ${cwd} failed`);
    process.exit(1);
  }
  console.log(`check-dist: ${specifier} imports from plain Node (${cwd})`);
}

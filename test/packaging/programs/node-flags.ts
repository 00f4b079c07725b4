/**
 * Packaging program: the installed packages under Node flags that take features away. Each child process imports
 * @backprop/core and @backprop/layers, multiplies (float64 and float32), runs a jitted function and asks for the GEMM
 * worker: no crash, the documented fallback (TypeScript kernels without WebAssembly, jit's interpreter without
 * `new Function`, one thread without SharedArrayBuffer or worker permission) and the same bits, with no warning.
 */
import { execFileSync } from "node:child_process";
import { type DType, setGemmBackend, type Tensor, tensor, wasmGemmAvailable } from "@backprop/core";

const hex = (t: Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString("hex");
const [m, k, n] = [48, 40, 56]; // above the size the wasm kernel takes (256 multiply-adds)
const product = (dtype: DType) =>
  tensor(
    Array.from({ length: m * k }, (_, i) => Math.sin(1 + 0.37 * i)),
    { shape: [m, k], dtype },
  ).matmul(
    tensor(
      Array.from({ length: k * n }, (_, i) => Math.cos(2 + 0.29 * i)),
      { shape: [k, n], dtype },
    ),
  );

// The bits every child must give: float64 is the same on every path; float32 differs between the wasm kernel (f32
// lanes) and the TypeScript one (float64, rounded once), so a child without wasm must give the TypeScript bits.
const expected = { float64: hex(product("float64")), float32Wasm: hex(product("float32")), float32Ts: "" };
setGemmBackend("js");
expected.float32Ts = hex(product("float32"));
setGemmBackend("auto");
const jitValue = (() => {
  const y = tensor([0.5, -1.25, 2, 3.5]);
  return y.tanh().mul(y).sum().item();
})();

const child = `
import { jit, tensor } from "@backprop/core";
import { wasmGemmAvailable } from "@backprop/core";
import { startGemmWorkerThread } from "@backprop/core/node";
import { mlp } from "@backprop/layers";
const warnings = [];
console.warn = (message) => warnings.push(String(message));
const hex = (t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString("hex");
const [m, k, n] = [${m}, ${k}, ${n}];
const product = ${product.toString()};
const f = jit((y) => y.tanh().mul(y).sum());
const y = tensor([0.5, -1.25, 2, 3.5]);
let codegen;
try {
  jit((x) => x.neg(), { backend: "codegen" })(y);
  codegen = "ran";
} catch (e) {
  codegen = e.constructor.name;
}
const net = mlp([2, 3, 1], ["relu", "sigmoid"], { seed: 1 });
console.log(JSON.stringify({
  webAssembly: typeof WebAssembly,
  wasm: wasmGemmAvailable(),
  float64: hex(product("float64")),
  float32: hex(product("float32")),
  jit: f(y).item(),
  jitBackend: f.lower(y).split(":")[0],
  codegen,
  layers: net.forward(tensor([[1], [2]])).shape.join(","),
  started: await startGemmWorkerThread({ startTimeoutMs: 5000 }),
  warnings,
}));`;

interface Expect {
  /** Whether WebAssembly (and so the wasm kernel) is there. */
  wasm: boolean;
  /** "codegen" or "interpreter": the backend jit's "auto" picks. */
  jitBackend: string;
  /** Whether the GEMM worker may start. */
  started: boolean;
}
const cases: [string[], Expect][] = [
  // WebAssembly is undefined under --jitless in Node 20: products run in the TypeScript kernels, no worker.
  [["--jitless"], { wasm: false, jitBackend: "jit program (codegen)", started: false }],
  [["--no-expose-wasm"], { wasm: false, jitBackend: "jit program (codegen)", started: false }],
  // No SharedArrayBuffer: posting a shared memory to a worker would abort the process (a V8 check).
  [["--no-harmony-sharedarraybuffer"], { wasm: true, jitBackend: "jit program (codegen)", started: false }],
  // new Function throws EvalError: jit's "auto" runs its interpreter, "codegen" rethrows.
  [["--disallow-code-generation-from-strings"], { wasm: true, jitBackend: "jit program (interpreter)", started: true }],
  // Node's permission model without --allow-worker: creating the worker throws ERR_ACCESS_DENIED.
  [
    ["--experimental-permission", "--allow-fs-read=*"],
    { wasm: true, jitBackend: "jit program (codegen)", started: false },
  ],
];

for (const [flags, want] of cases) {
  let answer: string;
  try {
    answer = execFileSync(process.execPath, [...flags, "--input-type=module", "-e", child], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, BACKPROP_GEMM_THREADS: "" },
    });
  } catch (error) {
    const { stderr, status } = error as { stderr?: string; status?: number };
    if (stderr?.includes("bad option")) continue; // a flag this Node version does not have
    throw new Error(`node ${flags.join(" ")}: exited with ${status}:\n${stderr}`);
  }
  const got = JSON.parse(answer) as Record<string, unknown>;
  const wasm = want.wasm && wasmGemmAvailable();
  const wanted: Record<string, unknown> = {
    webAssembly: want.wasm ? "object" : "undefined",
    wasm,
    float64: expected.float64,
    float32: wasm ? expected.float32Wasm : expected.float32Ts,
    jit: jitValue,
    jitBackend: want.jitBackend,
    codegen: want.jitBackend === "jit program (codegen)" ? "ran" : "EvalError",
    layers: "1,1",
    started: want.started && wasm,
    warnings: [],
  };
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(got[key]) !== JSON.stringify(value)) {
      throw new Error(
        `node ${flags.join(" ")}: ${key} is ${JSON.stringify(got[key])}, expected ${JSON.stringify(value)}`,
      );
    }
  }
}

/** Loads TensorFlow.js with its cpu and wasm backends, offline (the wasm binaries come from the installed package). */
import { createRequire } from "node:module";
import path from "node:path";

export type Tf = typeof import("@tensorflow/tfjs-core");
export type TfBackend = "cpu" | "wasm";

let loaded: Tf | undefined;

/**
 * Imports tfjs-core, registers both backends and initialises them once. The wasm backend reads its
 * `.wasm` files from the local package folder (file paths, never the network), single-threaded.
 */
export async function loadTf(): Promise<Tf> {
  if (loaded) return loaded;
  // tfjs greets Node users with advice to install tfjs-node; keep the bench's output clean.
  const log = console.log;
  const warn = console.warn;
  console.log = () => {};
  console.warn = () => {};
  try {
    const tf = await import("@tensorflow/tfjs-core");
    // tfjs-core's Node bundle has no gradient functions: the umbrella package registers them (and
    // the cpu backend) into the same tfjs-core instance.
    await import("@tensorflow/tfjs");
    await import("@tensorflow/tfjs-backend-cpu");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"));
    wasm.setWasmPaths(`${dir}${path.sep}`);
    for (const name of ["wasm", "cpu"] as const) {
      if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
      tf.tensor1d([1]).dispose(); // the cpu backend prints its greeting on the first write
    }
    loaded = tf;
    return tf;
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/**
 * Switches tfjs to an already initialised backend. `setBackend` is async in signature but completes
 * synchronously for an initialised backend; the check makes sure it did.
 */
export function useBackend(tf: Tf, name: TfBackend): void {
  if (tf.getBackend() === name) return;
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new Error(`tfjs did not switch to ${name} synchronously`);
}

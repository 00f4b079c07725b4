/** The default thread policy of large products: the Node entry arms the GEMM worker's automatic start from the core count and BACKPROP_GEMM_THREADS. */
import { type CreateGemmWorker, setGemmAutoStart, setGemmThreads } from "./gemmWasm.js";

/**
 * The environment variable that overrides the default: "1" keeps every product on the calling thread, "2" arms the
 * worker even on one core. Read once, when the Node entry loads: setting the variable from code in a module that
 * statically imports `@backprop/core` comes too late (the import runs first); `setGemmThreads(1)` works at any time.
 */
export const GEMM_THREADS_VARIABLE = "BACKPROP_GEMM_THREADS";

/**
 * Applies the default: with `setting` (the variable's value) "1", setGemmThreads(1), so no worker
 * starts by itself and a started one stays idle; with "2", or unset (or empty) on a machine with
 * `cores` ≥ 2, the worker `create` makes starts once the process has run AUTO_START_WORK multiply-adds
 * of products worth splitting (setGemmAutoStart). Any other
 * value is reported once (`warn`) and ignored. Returns whether the automatic start is armed.
 */
export function applyGemmThreadsDefault(
  setting: string | undefined,
  cores: number,
  create: CreateGemmWorker,
  warn: (message: string) => void = (message) => globalThis.console?.warn(message),
): boolean {
  const value = setting?.trim() ?? "";
  if (value === "1") {
    setGemmThreads(1);
    return false;
  }
  if (value !== "" && value !== "2") {
    warn(`backprop: ${GEMM_THREADS_VARIABLE} must be 1 or 2, got '${setting}'; ignored`);
  }
  const arm = value === "2" || cores >= 2;
  if (arm) setGemmAutoStart(create);
  return arm;
}

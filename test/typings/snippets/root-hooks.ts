/** README snippet (checked by test/typings.test.ts): hooks, on the computation graph's v and J. */
import type { Tensor } from "@backprop/core";

declare const v: Tensor;
declare const J: Tensor;
// ---- the README block, verbatim:
const remove = v.registerHook((g) => g.mul(2)); // dv = 6 instead of 3
J.backward(); // da = 6, db = 12, dc = 18
remove();

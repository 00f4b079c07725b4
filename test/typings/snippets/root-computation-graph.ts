/** README snippet (checked by test/typings.test.ts): the course's computation graph. */
// ---- the README block, verbatim:
import { formatTrace, tensor, toDot } from "@backprop/core";

const a = tensor(5, { requiresGrad: true, name: "a" });
const b = tensor(3, { requiresGrad: true, name: "b" });
const c = tensor(2, { requiresGrad: true, name: "c" });
const u = b.mul(c).named("u");
const v = a.add(u).named("v");
const J = v.mul(3).named("J");
console.log(formatTrace(J));
// dJ (scalar) = 1 (seed)
// dv (scalar) ← dJ ∗ 3
// da (scalar) ← dv
// du (scalar) ← dv
// db (scalar) ← du ∗ c
// dc (scalar) ← du ∗ b
J.backward();
toDot(J, { gradients: true }); // a: ‖da‖ = 3, b: ‖db‖ = 6, c: ‖dc‖ = 9

/** The typings as the docs use them, type-checked under strict settings with noUncheckedIndexedAccess (test/typings.test.ts). */
import { customOp, grad, gradcheck, RandomState, randn, type Tensor, tensor, valueAndGrad } from "@backprop/core";

const X = randn([2, 5], 1);
const Y = tensor([[1, 0, 1, 1, 0]]);
const cost = (W: Tensor, b: Tensor) => W.matmul(X).add(b).sigmoid().sub(Y).square().mean();
const W = new RandomState(2).randn(1, 2).mul(0.01);
const b = tensor([[0]]);

// valueAndGrad with a list of argnums: a value and a list of gradients, destructured.
const [J, [dW, db]] = valueAndGrad(cost, { argnums: [0, 1] })(W, b);
const [J0, dW0] = valueAndGrad(cost)(W, b);
const [dW1, db1] = grad(cost, { argnums: [0, 1] })(W, b);
const total: number = J.item() + J0.item() + (dW?.sum().item() ?? 0) + (db?.item() ?? 0);
const shapes: readonly number[][] = [dW0.shape.slice(), dW1?.shape.slice() ?? [], db1?.shape.slice() ?? []];

// A hook that only observes, and one that replaces.
const Wp = W.detach().requiresGrad_();
const remove = Wp.registerHook((g) => {
  console.log(g.shape);
});
Wp.registerHook((g) => g.mul(2));
remove();

// toArray for the common ranks without casts.
const rows: number[][] = W.toArray2D();
const firstRow: number[] | undefined = rows[0];
const values: number[] = tensor([1, 2, 3]).toArray1D();

// A custom op reading its inputs from the context.
const cube = customOp({
  name: "cube",
  forward: (x) => x.mul(x).mul(x),
  backward: (g, { inputs: [x] }) => [g.mul(x.mul(x)).mul(3)],
});
const passed: boolean = gradcheck((x: Tensor) => cube(x).sum(), [tensor([1, 2])]).passed;

export { firstRow, passed, shapes, total, values };

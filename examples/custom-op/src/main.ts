/** Prints the custom-op checks: `node examples/custom-op/dist/main.js` after `pnpm build`; exits 1 if a check fails. */
import { checkSwish, swishReport } from "./swish.js";

console.log(swishReport());
const { first, second, net } = checkSwish();
if (!(first.passed && second.passed && net.passed)) process.exitCode = 1;

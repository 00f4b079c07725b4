/** Prints the vanishing-gradient comparison: `node examples/graph-picture/dist/vanishingMain.js` after `pnpm build`. */
import { vanishingReport } from "./vanishing.js";

console.log(vanishingReport());

/** Prints the computation-graph walk-through: `node examples/computation-graph/dist/main.js` after `pnpm build`. */
import { computationGraphReport } from "./computationGraph.js";

console.log(computationGraphReport());

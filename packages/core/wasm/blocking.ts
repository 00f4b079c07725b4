/** Block sizes shared by the packed and unpacked kernels. */

/**
 * k-block length. Every C element is summed per block of KC terms (s = 0; s = s + a·b in
 * increasing p; C = s, then C = C + s): this fixes the float64 summation order, so it must equal
 * KC in src/kernels/gemm.ts for the TS and wasm paths to agree bit for bit.
 */
export const KC: i32 = 256;
/** Rows of a register tile. */
export const MR: i32 = 5;
/** Rows of A packed per block (a multiple of MR): an MC×KC block fits L2. */
export const MC: i32 = 120;
/** Columns of B packed per block (a multiple of both tile widths, 4 and 8). */
export const NC: i32 = 2048;

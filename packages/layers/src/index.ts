/** @backprop/layers (being written). */
export {};

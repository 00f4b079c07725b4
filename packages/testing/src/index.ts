/** @backprop/testing (being written). */
export {};

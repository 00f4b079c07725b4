/** Where the tests serve the built page: with COOP/COEP on PLAYGROUND_PORT (default 5391), without them on the next port. */
export const isolatedPort = Number(process.env.PLAYGROUND_PORT ?? 5391);
export const plainPort = isolatedPort + 1;
/** The copy served without cross-origin-isolation headers. */
export const plainOrigin = `http://127.0.0.1:${plainPort}`;

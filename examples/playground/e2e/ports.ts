/** Where the tests serve the page: built, with COOP/COEP on PLAYGROUND_PORT (default 5391), without them on the next port; the dev server on the one after. */
export const isolatedPort = Number(process.env.PLAYGROUND_PORT ?? 5391);
export const plainPort = isolatedPort + 1;
/** The copy served without cross-origin-isolation headers. */
export const plainOrigin = `http://127.0.0.1:${plainPort}`;
/** Vite's dev server (sources, COOP/COEP). */
export const devPort = isolatedPort + 2;
export const devOrigin = `http://127.0.0.1:${devPort}`;

/**
 * The first HTTP request of a worker process pays for loading Node's `fetch` (undici, ~35 ms
 * measured here): paid while the caller still hears the last words, it does not delay the
 * request that ends or transfers the call.
 */

let warming: Promise<void> | undefined;

/** Loads `fetch` once per process, in the background; never throws. */
export function warmUpHttp(): Promise<void> {
  warming ??= fetch('data:,')
    .then((response) => response.arrayBuffer())
    .then(
      () => undefined,
      () => undefined,
    );
  return warming;
}

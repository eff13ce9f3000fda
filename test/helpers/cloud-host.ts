/**
 * A LiveKit Cloud host that stays on this machine: livekit-server-sdk fails over (re-sends a
 * request to another region) only for hosts named `*.livekit.cloud`, so a test that checks a
 * request leaves once must use such a name. While installed, `fetch` to any `*.livekit.cloud`
 * host goes to a local stand-in instead: `/settings/regions` (the SDK's region discovery) lists two
 * more regions, and every other path is forwarded to the stand-in's URL. Nothing leaves the
 * machine; any other host is refused.
 */

/** The project host clients are pointed at. */
export const CLOUD_URL = 'https://stand-in-project.livekit.cloud';

/** The regions the discovery answers, besides the project host. */
const REGIONS = [
  'https://stand-in-region-b.livekit.cloud',
  'https://stand-in-region-c.livekit.cloud',
];

/**
 * Routes `*.livekit.cloud` to `localUrl` (e.g. a Twirp stub's `http://127.0.0.1:port`) until the
 * returned function is called.
 */
export function routeCloudTo(localUrl: string): () => void {
  const realFetch = globalThis.fetch;
  const local = new URL(localUrl);
  globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname === local.hostname && url.port === local.port) return realFetch(input, init);
    if (!url.hostname.endsWith('.livekit.cloud')) {
      throw new TypeError(
        `routeCloudTo: ${url.host} is not a stand-in; nothing leaves the machine`,
      );
    }
    if (url.pathname === '/settings/regions') {
      return Response.json({ regions: REGIONS.map((region) => ({ url: region })) });
    }
    return realFetch(new URL(url.pathname + url.search, local), init);
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}

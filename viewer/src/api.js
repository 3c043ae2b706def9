// The JSON API served by `borderland view` (viewer/API.md). Every call returns parsed JSON or
// throws an Error carrying the server's message (which names the file and dataset).
export const API_VERSION = 1;

const cache = new Map();

export async function get(endpoint, params = {}) {
  const query = new URLSearchParams(params).toString();
  const url = `api/${endpoint}${query ? "?" + query : ""}`;
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then(async (response) => {
      const body = await response.json().catch(() => ({ error: `${url}: HTTP ${response.status}` }));
      if (!response.ok) throw new Error(body.error || `${url}: HTTP ${response.status}`);
      return body;
    }));
    cache.get(url).catch(() => cache.delete(url)); // a failed call may be retried
  }
  return cache.get(url);
}

// base64 of little-endian bytes (the server's b64()) as a typed array.
export function decode(text, ArrayType) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new ArrayType(bytes.buffer);
}

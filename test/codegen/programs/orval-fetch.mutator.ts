/**
 * The fetch function orval's `client: 'fetch'` calls instead of its own (its config's
 * `override.mutator`): it reads each answer by its media type. orval 7's built-in fetch client
 * parses every body with JSON.parse, so the mock's XML answers (`text/xml`) throw there; orval's
 * answer for non-JSON bodies is a custom fetch (its samples' `custom-fetch.ts`), and this is it.
 */
export async function customFetch<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  const mediaType = response.headers.get('content-type') ?? '';
  // application/json and application/problem+json are JSON; text/xml (and an empty body) stay text.
  const isJson = /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(mediaType) && text !== '';
  const data: unknown = isJson ? JSON.parse(text) : text;
  // The shape orval's generated response types have: `{ data, status, headers }`, by status.
  return { data, status: response.status, headers: response.headers } as T;
}

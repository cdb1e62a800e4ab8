// Which integration carries which tag lives in the account, in the state API under one global key
// (issue 4 item 12), so every user of the account sees the same tags. The vocabulary is /tags.
import type { CeligoClient } from '../core/client.js';
import { INTEGRATION_TAGS_STATE_KEY, type Tag } from '../core/schemas.js';

export type TagMap = Record<string, string[]>;

export async function readTagMap(api: CeligoClient, signal?: AbortSignal): Promise<TagMap> {
  const v = await api.state.get<TagMap>(INTEGRATION_TAGS_STATE_KEY, undefined, { signal });
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

export async function writeTagMap(api: CeligoClient, map: TagMap, signal?: AbortSignal): Promise<void> {
  await api.state.put(INTEGRATION_TAGS_STATE_KEY, map, undefined, { signal });
}

/** Tag labels of each integration, from the tag map and the /tags vocabulary. */
export function tagLabels(map: TagMap, tags: Tag[], integrationId: string): string[] {
  const byId = new Map(tags.map((t) => [t._id, t.tag]));
  return (map[integrationId] ?? []).map((id) => byId.get(id) ?? id);
}

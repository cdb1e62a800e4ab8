// /tags (celigo-api.md §8): objects {_id, tag, tagId}; tagId is a short code (shape inferred, §8).
import { tagCreate } from '../../core/schemas.js';
import { shortHex } from '../ids.js';
import type { RouteDef } from '../router.js';
import { hash32 } from '../rng.js';
import { type ResourceSpec, crudRoutes } from './resources.js';

export const tagSpec: ResourceSpec = {
  kind: 'tags',
  label: 'Tag',
  schema: tagCreate,
  listDefaults: ['tag', 'tagId'],
  createDefaults: (store, body) => (body.tagId === undefined ? { tagId: shortHex(hash32(String(body.tag)) ^ store.tags.size, 8) } : {}),
};

export const tagRoutes: RouteDef[] = crudRoutes(tagSpec);

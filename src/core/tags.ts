import * as s from './schemas.js';
import { ResourceApi } from './resource.js';

export class TagsApi extends ResourceApi<s.Tag> {}

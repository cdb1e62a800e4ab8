// Reading the answers of Celigo's clone protocol (celigo-api.md W6): the preview of what a clone copies,
// and the list of components the clone created. Both answer shapes seen in the sources are accepted.
import { UnexpectedShapeError, describeShape } from './errors.js';
import * as s from './schemas.js';

/** What a clone would copy, grouped by model ("Integration", "Flow", "Export", "Import", "Connection", …). */
export interface ClonePreview {
  objects: Record<string, s.ClonePreviewDoc[]>;
}

/** The body of POST /{integrations|flows}/{id}/clone, as Celigo's web app sends it. */
export interface CloneBody {
  /** Source connection id -> target connection id; must cover every Connection of the preview. */
  connectionMap: Record<string, string>;
  name?: string;
  tag?: string;
  sandbox?: boolean;
  _integrationId?: string;
  _flowGroupingId?: string | null;
}



export function parseClonePreview(body: unknown, path: string): ClonePreview {
  const r = s.clonePreviewAnswer.safeParse(body);
  if (!r.success) throw new UnexpectedShapeError(`GET ${path}`, '{objects:[{model, doc:{_id, name}}]} or {objects:{Connection:[…], …}}', describeShape(body));
  const objects: Record<string, s.ClonePreviewDoc[]> = {};
  if (Array.isArray(r.data.objects)) {
    for (const o of r.data.objects) (objects[o.model] ??= []).push(o.doc);
  } else {
    for (const [model, docs] of Object.entries(r.data.objects)) objects[model] = [...docs];
  }
  return { objects };
}

/**
 * The components a clone created. The answer is a list `[{model, _id, name?}]` (the web app); older
 * sources answer the new object itself (`{_id, …}`: the model is the cloned one), and the web app's
 * integration installer path answers `{_integrationId}`. Anything else, an empty list included, is an
 * error naming the endpoint and what came back: the clone may have happened.
 */
export function parseCloneAnswer(body: unknown, path: string, model: 'Integration' | 'Flow'): s.CloneComponent[] {
  const expected = 'a list of created components [{model, _id}] or the new object with _id';
  if (Array.isArray(body)) {
    const list = body.map((c) => s.cloneComponent.safeParse(c));
    if (list.length && list.every((c) => c.success)) return list.map((c) => c.data!);
    throw new UnexpectedShapeError(`POST ${path}`, expected, describeShape(body));
  }
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (typeof o._id === 'string' && o._id) {
      if (typeof o.model === 'string') return [s.cloneComponent.parse(o)];
      return [{ model, _id: o._id, ...(typeof o.name === 'string' ? { name: o.name } : {}) }];
    }
    if (model === 'Integration' && typeof o._integrationId === 'string' && o._integrationId) return [{ model, _id: o._integrationId }];
  }
  throw new UnexpectedShapeError(`POST ${path}`, expected, describeShape(body));
}

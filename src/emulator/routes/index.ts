// The whole route table under /v1.
import { Router } from '../router.js';
import { auditRoutes } from './audit.js';
import { connectionRoutes } from './connections.js';
import { errorRoutes } from './errors.js';
import { flowRoutes } from './flows.js';
import { integrationRoutes } from './integrations.js';
import { jobRoutes } from './jobs.js';
import { jobFileRoutes } from './job-files.js';
import { lookupCacheRoutes } from './lookup-caches.js';
import { recycleBinRoutes } from './recycle-bin.js';
import { runStatsRoutes } from './run-stats.js';
import { stateRoutes } from './state.js';
import { exportRoutes, importRoutes } from './steps.js';
import { tagRoutes } from './tags.js';
import { tokenInfoRoutes } from './token-info.js';
import { userAndScriptRoutes } from './users-scripts.js';

let router: Router | undefined;

export function apiRouter(): Router {
  router ??= new Router().add(
    ...tokenInfoRoutes,
    ...integrationRoutes,
    ...runStatsRoutes,
    ...flowRoutes,
    ...errorRoutes,
    ...exportRoutes,
    ...importRoutes,
    ...connectionRoutes,
    ...tagRoutes,
    ...jobRoutes,
    ...jobFileRoutes,
    ...lookupCacheRoutes,
    ...recycleBinRoutes,
    ...stateRoutes,
    ...auditRoutes,
    ...userAndScriptRoutes,
  );
  return router;
}

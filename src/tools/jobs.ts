// The range description now lives with the jobs operations; re-exported for the legacy tools that still
// import it from here while they move into src/operations.
export { RANGE_DESC } from '../operations/jobs.js';

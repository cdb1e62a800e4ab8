// backups operations (being moved here from src/tools and src/cli/commands).
import type { Operation } from './types.js';

export const backupOperations: Operation[] = [];

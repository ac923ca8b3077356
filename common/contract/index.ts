/**
 * The contract: the only module the renderer and the Node side both import. Zod schemas and the
 * types inferred from them for every request, response and event. No Node or DOM imports.
 */
export * from './recipe.js';
export * from './errors.js';
export * from './checkpoint.js';
export * from './run.js';
export * from './tasks.js';
export * from './api.js';
export * from './reopen.js';
export * from './events.js';
export * from './wire.js';
export { ProjectSchema, type Project } from '../graph/project-schema.js';
export * from './format-bytes.js';
export * from './desktop.js';

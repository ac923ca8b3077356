/** The graph/project model: project file, typed handles, validation, compilation to recipes. */
export * from './project-schema.js';
export * from './load-project.js';
export * from './ports.js';
export * from './validity.js';
export * from './graph-like.js';
export * from './node-label.js';
export * from './validate-connection.js';
export * from './compile.js';
export * from './validate-graph.js';
export * from './param-resolve.js';
export * from './tensor-naming.js';
export { DEFAULT_SHARD_SIZE } from './migrations.js';
export * from './recipe-to-project.js';

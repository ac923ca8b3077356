/** IPC channel names (Electron). Kept free of zod so the preload bundle stays small. */
export const IPC = {
  service: 'crucible:service',
  desktop: 'crucible:desktop',
  events: 'crucible:events',
  menu: 'crucible:menu',
} as const;

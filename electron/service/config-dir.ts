/** The user's config folder (autosave, recent files): XDG on Linux, Application Support on macOS, AppData on Windows. */
import envPaths from 'env-paths';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.CRUCIBLE_CONFIG_DIR;
  if (override && override.trim()) return override;
  return envPaths('Crucible', { suffix: '' }).config;
}

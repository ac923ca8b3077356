/**
 * `npm run web [-- --port N]`: the same app in a browser. Serves the built renderer and the service
 * on 127.0.0.1 and prints exactly one line: `Crucible: http://127.0.0.1:PORT/?token=TOKEN`.
 * Remote use: run it on the host and forward the port over SSH (see the README).
 */
import { existsSync } from 'node:fs';
import { defaultConfigDir } from '../service/config-dir.js';
import { createService } from '../service/create-service.js';
import { realEngine } from '../service/real-engine.js';
import { parseWebArgs } from './args.js';
import { assetsDir, projectRoot, rendererDir } from './app-paths.js';
import { readVersion } from './version.js';
import { startWebHost } from './web-host.js';

async function main(): Promise<void> {
  let args;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`crucible web: ${(e as Error).message}\nusage: npm run web [-- --port N]\n`);
    process.exit(2);
  }
  const root = projectRoot(import.meta.url);
  const renderer = rendererDir(root);
  if (!existsSync(renderer)) {
    process.stderr.write(`crucible web: the renderer is not built (${renderer} is missing); run \`npm run build\` first\n`);
    process.exit(1);
  }
  const service = createService({
    engine: realEngine(),
    configDir: defaultConfigDir(),
    assetsDir: assetsDir(root),
    host: 'web',
    version: readVersion(root),
    testDelayMsPerTensor: args.testDelayMsPerTensor,
  });
  const host = await startWebHost({ service, rendererDir: renderer, port: args.port });
  process.stdout.write(`Crucible: ${host.url}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void service
      .close()
      .then(() => host.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`crucible web: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

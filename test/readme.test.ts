import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeApp } from './support/app';
import { makePortalApp } from './support/portal-app';

/**
 * The README's curl examples, run in order against a fresh server, must print what the README shows.
 * `README_UPDATE=1 npx jest test/readme.test.ts` rewrites the shown outputs after a deliberate change.
 */
const README = path.resolve(__dirname, '../README.md');
const DOCUMENTED_ORIGIN = 'http://127.0.0.1:4010';
/** The README's portal-profile server (`npm start -- --profile portal --port 4011`). */
const DOCUMENTED_PORTAL_ORIGIN = 'http://127.0.0.1:4011';
// `text` blocks are the exact bytes sent (the portal profile's escapes are the point of showing them).
const EXAMPLE = /```sh\n(curl [\s\S]*?)```\n\n```(json|xml|text)\n([\s\S]*?)```/g;
const run = promisify(execFile);

let server: Server;
let origin: string;
let portalServer: Server;
let portalOrigin: string;

async function listening(app: Server): Promise<string> {
  await new Promise((resolve) => app.once('listening', resolve));
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = makeApp().app.listen(0, '127.0.0.1');
  portalServer = makePortalApp().app.listen(0, '127.0.0.1');
  [origin, portalOrigin] = await Promise.all([listening(server), listening(portalServer)]);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => portalServer.close(resolve));
});

function shown(output: string, format: string): string {
  return format === 'json' ? `${JSON.stringify(JSON.parse(output), null, 2)}\n` : `${output}\n`;
}

it('prints what the README shows for each curl example, in order', async () => {
  let readme = readFileSync(README, 'utf8');
  const examples = [...readme.matchAll(EXAMPLE)];
  expect(examples.length).toBeGreaterThanOrEqual(4);
  for (const [block, command, format, expected] of examples) {
    const { stdout } = await run('bash', [
      '-c',
      command!.replaceAll(DOCUMENTED_ORIGIN, origin).replaceAll(DOCUMENTED_PORTAL_ORIGIN, portalOrigin),
    ]);
    if (process.env.README_UPDATE) {
      readme = readme.replace(
        block,
        block.replace(`\`\`\`${format}\n${expected}`, `\`\`\`${format}\n${shown(stdout, format!)}`),
      );
    } else if (format === 'json') {
      expect(JSON.parse(stdout)).toEqual(JSON.parse(expected!));
    } else {
      expect(stdout).toBe(expected!.trimEnd());
    }
  }
  if (process.env.README_UPDATE) writeFileSync(README, readme);
});

it("shows test/examples/using-it-in-tests.test.ts exactly, so the README's jest example is one that runs", () => {
  const readme = readFileSync(README, 'utf8');
  const example = readFileSync(path.resolve(__dirname, 'examples/using-it-in-tests.test.ts'), 'utf8').trimEnd();
  expect(readme).toContain(`\`\`\`ts\n${example}\n\`\`\``);
});

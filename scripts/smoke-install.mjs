#!/usr/bin/env node
/**
 * Installs the packed tarball into an empty ESM project with the README's install line (at the
 * versions this repo is tested with), typechecks the README quick start against the packed types, and runs a real
 * text-mode AgentSession that imports the package by name.
 *
 * Usage: node scripts/smoke-install.mjs <path to livekit-langgraph-x.y.z.tgz>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** A real text-mode session in the empty project, importing the package by its name. */
const SESSION = `
import { AIMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { initializeLogger, llm, voice } from '@livekit/agents';
import { LLMAdapter, END_CALL, endCall } from 'livekit-langgraph';
import { z } from 'zod';

initializeLogger({ pretty: false, level: 'warn' });
const graph = new StateGraph(MessagesAnnotation)
  .addNode('agent', async (_state, config) => {
    endCall(config, { reason: 'smoke test' });
    return { messages: [new AIMessage('Hello from the packed package. Goodbye!')] };
  })
  .addEdge(START, 'agent')
  .addEdge('agent', END)
  .compile();
const calls = [];
const endCallReceiver = llm.tool({
  description: 'records the end of the call',
  parameters: z.object({ reason: z.string().optional() }),
  execute: async ({ reason }) => void calls.push(reason),
});
const session = new voice.AgentSession({ llm: new LLMAdapter({ graph }) });
await session.start({ agent: new voice.Agent({ instructions: '', tools: { [END_CALL]: endCallReceiver } }) });
const result = session.run({ userInput: 'hi' });
await result.wait();
await session.close();
const said = result.events.filter((e) => e.item.type === 'message').map((e) => e.item.textContent);
if (said.join() !== 'Hello from the packed package. Goodbye!' || calls.join() !== 'smoke test') {
  throw new Error('smoke: unexpected session output ' + JSON.stringify({ said, calls }));
}
console.log('smoke: a real AgentSession ran the packed LLMAdapter and got one end_call');
`;

/**
 * The installed package has its LICENSE, its entry point, and every file its source maps name
 * (a map pointing at a `src/` file the package lacks breaks debuggers and stack traces).
 */
function checkInstalledFiles(pkg) {
  const problems = ['LICENSE', 'dist/index.js', 'dist/index.d.ts']
    .filter((file) => !existsSync(join(pkg, file)))
    .map((file) => `${file} is missing`);
  const maps = readdirSync(join(pkg, 'dist'), { recursive: true }).filter((f) =>
    f.endsWith('.map'),
  );
  if (maps.length === 0) problems.push('dist/ has no source maps');
  for (const map of maps) {
    const at = join(pkg, 'dist', map);
    const { sources = [], sourceRoot = '' } = JSON.parse(readFileSync(at, 'utf8'));
    for (const source of sources) {
      if (!existsSync(resolve(dirname(at), sourceRoot, source))) {
        problems.push(`dist/${map} names ${source}, which the package does not ship`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`smoke: the packed files:\n  ${problems.join('\n  ')}`);
  console.log(
    `smoke: LICENSE, the entry point and the sources of ${maps.length} source maps are packed`,
  );
}

const tarball = process.argv[2];
if (!tarball) {
  console.error('usage: node scripts/smoke-install.mjs <tarball>');
  process.exit(2);
}
const repo = resolve(import.meta.dirname, '..');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
const pinned = (name) => `${name}@${lock.packages[`node_modules/${name}`].version}`;

// exactly what the README tells a user to install, at the versions this repo is tested with
const installLine = /<!-- install -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
if (!installLine) throw new Error('README.md has no ```sh block after <!-- install -->');
const specs = installLine.replace(/\\\n/g, ' ').trim().split(/\s+/).slice(2);
const readmeInstall = specs
  .map((spec) => {
    const at = spec.indexOf('@', 1);
    const name = at === -1 ? spec : spec.slice(0, at);
    if (at !== -1 && pinned(name) !== spec) {
      throw new Error(`README.md installs ${spec}; the lockfile has ${pinned(name)}`);
    }
    return name;
  })
  .filter((name) => name !== 'livekit-langgraph');
// what typechecks the quick start; not part of the user's install
const devTools = ['typescript', '@types/node'];

const dir = mkdtempSync(join(tmpdir(), 'livekit-langgraph-smoke-'));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: dir, stdio: 'inherit' });
try {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, type: 'module' }, null, 2),
  );
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    resolve(tarball),
    ...[...readmeInstall, ...devTools].map(pinned),
  ]);

  checkInstalledFiles(join(dir, 'node_modules', 'livekit-langgraph'));

  const quickStart = /<!-- quickstart -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!quickStart) throw new Error('README.md has no ```ts block after <!-- quickstart -->');
  writeFileSync(join(dir, 'quickstart.ts'), quickStart);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['quickstart.ts'],
    }),
  );
  run('npx', ['tsc', '-p', '.']);
  // `tsc --init` turns this on: the packed types must not force errors on projects that use it
  run('npx', ['tsc', '-p', '.', '--exactOptionalPropertyTypes']);
  console.log('smoke: the README quick start typechecks against the packed package');

  writeFileSync(join(dir, 'session.mjs'), SESSION);
  run('node', ['session.mjs']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

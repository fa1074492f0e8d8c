#!/usr/bin/env node
/**
 * Owns the record of what dist/ was built from: a SHA-256 of every build input (src/, generated/,
 * spec/, the data file schema the validators are compiled with, the tsconfigs, the build scripts and
 * package-lock.json), kept in dist/.build-inputs. `npm start` (scripts/start.js) compares it with the
 * inputs as they are now and builds only when they differ. Contents, not mtimes: a git checkout or a
 * fresh clone touches every file, and a revert must count as a change.
 *
 * `node scripts/build-stamp.js --clear` (first step of `npm run build`) removes the stamp, so a build
 * that fails half-way never leaves dist/ looking fresh; without arguments (last step) it writes it.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-inputs');
const INPUT_DIRS = ['src', 'generated', 'spec'];
const INPUT_FILES = [
  'data/data-file.schema.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
  'scripts/verify-spec.js',
  'scripts/build-stamp.js',
];

function filesUnder(dir) {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** The hash of the inputs as they are now: each file's path and bytes, in a fixed order. */
function inputsHash() {
  const hash = createHash('sha256');
  const files = [...INPUT_DIRS.flatMap(filesUnder), ...INPUT_FILES].sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ was built, to the end, from exactly the inputs there are now. */
function isFresh() {
  try {
    return readFileSync(STAMP, 'utf8').trim() === inputsHash();
  } catch {
    return false;
  }
}

module.exports = { inputsHash, isFresh, STAMP };

if (require.main === module) {
  if (process.argv[2] === '--clear') {
    rmSync(STAMP, { force: true });
  } else {
    mkdirSync(path.dirname(STAMP), { recursive: true });
    writeFileSync(STAMP, `${inputsHash()}\n`);
  }
}

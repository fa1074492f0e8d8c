#!/usr/bin/env node
/**
 * The process: reads the configuration, checks the documents and data file, builds the app of the
 * profile asked for, listens, prints the one start line, and shuts down on a signal.
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import type { Express } from 'express';
import pino from 'pino';
import { type CheckReport, checkProject, formatProblem } from './cli/check';
import { readConfig, type ServeConfig, USAGE } from './cli/config';
import { runPrimary, urlOf } from './cli/workers';
import { type OpenApiDocument, PORTAL_SPEC_PATH } from './contract/document';
import type { DirectoryData } from './core/directory';
import { Directory } from './core/directory';
import { portalSettings } from './core/profiles/portal-settings';
import { MemoryStore } from './core/store';
import { type AppConfig, beginShutdown, createApp } from './http/app';
import { createServer, DRAIN_DEADLINE_MS, drain } from './http/server';

/** The entry point: config -> check -> app -> listen -> one start line. The only place that exits. */
function main(): void {
  const config = readConfig(process.argv.slice(2), process.env);
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  // The server runs the very check `check` runs, and reads the spec and data it parsed, so a bad
  // file gives the same lines either way and nothing is read twice.
  const portal = config.profile === 'portal';
  // A check names one profile, a spec, or neither: then both profiles' documents are checked.
  const both = config.command === 'check' && config.profile === undefined && config.specFile === undefined;
  const report = checkProject({
    specPath: config.specFile ?? (portal ? PORTAL_SPEC_PATH : undefined),
    alsoSpecPaths: both ? [PORTAL_SPEC_PATH] : [],
    dataFile: config.dataFile,
  });
  const problems = report.problems.length;
  const counted = `${problems} problem${problems === 1 ? '' : 's'}`;
  if (problems > 0) {
    process.stderr.write(report.problems.map((p) => `${formatProblem(p)}\n`).join(''));
    process.stderr.write(
      config.command === 'check'
        ? `check: ${counted} found\n`
        : `icsevent-mock: not started: ${counted} in the spec or the data file (npm run check lists them too)\n`,
    );
    process.exitCode = 1;
    return;
  }
  if (config.command === 'check') {
    const what = both ? 'spec/openapi.yaml and spec/portal.yaml' : 'spec';
    process.stdout.write(`check: ${what}, ${report.exampleCount} examples and the data file are valid\n`);
    return;
  }
  serve(config, report);
}

/**
 * How far V8 lets the heap grow past what is live before it collects, in percent. Left alone, V8
 * grows it up to about four times the live size under a load test's allocation rate: a mock holding
 * 20 MiB of events sat at 190 MiB resident. 90 % keeps a 60-second create run near 140 MiB (peak,
 * VmHWM) while old-generation collections, which the slowest answers of a load test wait for, stay
 * rare enough: 70 % gave 3 to 4 ms more p99 at 50 connections (both measured as npm run bench
 * does). V8 reads this setting at every collection, so it can be set here, at run time; a
 * `--heap-growing-percent` given to node itself wins.
 */
const HEAP_GROWING_PERCENT = 90;

function boundHeapGrowth(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
    arg.includes('heap-growing-percent'),
  );
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

function serve(config: ServeConfig, report: CheckReport): void {
  if (config.workers > 1 && cluster.isPrimary) {
    // The primary only forks and watches: the workers serve (src/cli/workers.ts).
    runPrimary(config, { onReady: (url) => process.stdout.write(`listening on ${url}\n`), exit, fail });
    return;
  }
  boundHeapGrowth();
  // Logs go to stderr, so stdout carries only the start line a CI script waits for.
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  // A report without problems has both; the check made sure they are usable.
  const data = report.data as DirectoryData;
  const checked = report.spec as OpenApiDocument;
  // The portal profile answers by its document; the mock's own surface (/__admin, /docs) keeps the docs one.
  const portal = config.profile === 'portal';
  void sharedState(config, logger).then((shared) => {
    const app = createApp({
      directory: new Directory(data),
      spec: portal ? (checkProject({ dataFile: config.dataFile }).spec as OpenApiDocument) : checked,
      ...(portal ? { portal: { document: checked, settings: portalSettings(data.portal) } } : {}),
      logger,
      journalSize: config.journalSize,
      journalBytes: config.journalBytes,
      maxSessions: config.maxSessions,
      newStore: () => new MemoryStore(config.maxEvents),
      options: { ...config.control, listenHost: config.host },
      ...shared,
    });
    listen(config, app, logger, shared?.close);
  }, fail);
}

/** With --store redis://…: the sessions and tokens in Redis (exits 1, naming the URL, when it is unreachable). */
async function sharedState(config: ServeConfig, logger: pino.Logger): Promise<SharedState | undefined> {
  if (config.store.kind === 'memory') return undefined;
  // Loaded only when asked for: the memory store's start never reads the Redis client.
  const { openRedisState } = await import('./redis/redis-state.js');
  const state = await openRedisState(
    config.store.url,
    {
      maxEvents: config.maxEvents,
      journalSize: config.journalSize,
      journalBytes: config.journalBytes,
      sessionTtlSeconds: config.sessionTtlSeconds,
    },
    logger,
  );
  return { sessions: state.sessions, tokens: state.tokens, storeProblem: state.problem, close: state.close };
}

interface SharedState {
  sessions: AppConfig['sessions'];
  tokens: AppConfig['tokens'];
  storeProblem: AppConfig['storeProblem'];
  close: () => Promise<void>;
}

function listen(config: ServeConfig, app: Express, logger: pino.Logger, close?: () => Promise<void>): void {
  const server = createServer(app);
  // A taken port or a bad host is an 'error' event, not a callback argument, on a plain server.
  server.once('error', fail);
  server.listen(config.port, config.host, () => {
    // A worker's start is announced by the primary, once every worker listens.
    if (cluster.isWorker) return;
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`listening on ${urlOf(config.host, port)}\n`);
  });
  // SIGTERM or SIGINT drains: answers in flight are sent (delays end at once, hanging faults close),
  // then the process exits 0, within DRAIN_DEADLINE_MS whatever the clients do. A second signal
  // does not wait.
  let stopping = false;
  const stop = () => {
    if (stopping) {
      server.closeAllConnections();
      process.exit(0);
    }
    stopping = true;
    beginShutdown(app);
    void drain(server, DRAIN_DEADLINE_MS).then(async (cut) => {
      if (cut > 0)
        logger.warn({ connections: cut }, 'stopped: connections still open at the drain deadline were closed');
      // The Redis connection is closed after the last answer, so every answer had its store.
      await close?.().catch(() => undefined);
      logger.flush?.();
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function exit(code: number): never {
  process.exit(code);
}

function fail(error: unknown): never {
  process.stderr.write(`icsevent-mock: ${(error as Error).message}\n`);
  process.exit(1);
}

try {
  main();
} catch (error) {
  fail(error);
}

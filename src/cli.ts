#!/usr/bin/env node
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { readConfig, USAGE } from './config';
import { Directory } from './core/directory';
import { loadDataFile } from './data-file';
import { createApp } from './http/app';

/** The entry point: config -> app -> listen -> one start line. The only place that exits. */
function main(): void {
  const config = readConfig(process.argv.slice(2), process.env);
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  // Logs go to stderr, so stdout carries only the start line a CI script waits for.
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const app = createApp({
    directory: new Directory(loadDataFile(config.dataFile)),
    logger,
    journalSize: config.journalSize,
    options: config.control,
  });
  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error) fail(error);
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    process.stdout.write(`listening on http://${host}:${port}\n`);
  });
  // closeAllConnections: keep-alive sockets and `fault=hang` answers must not hold the exit back.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
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

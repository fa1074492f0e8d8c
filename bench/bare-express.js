#!/usr/bin/env node

/**
 * Bare Express 5 with its defaults (no body parser, no middleware): every request gets the same
 * fixed JSON through `res.send` of a string. Same start protocol as the mock: `--port N` (0 = a free
 * one), one line `listening on http://127.0.0.1:PORT` on stdout; SIGTERM/SIGINT close it and exit 0.
 */
const express = require('express');
const { parseArgs } = require('node:util');
const { FIXED_BODY } = require('./fixed-body');

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const host = values.host ?? '127.0.0.1';
const port = Number(values.port ?? 0);

const app = express();
app.use((_req, res) => {
  res.type('json').send(FIXED_BODY);
});

const server = app.listen(port, host, (error) => {
  if (error) {
    process.stderr.write(`bare-express: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`listening on http://${host}:${server.address().port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

#!/usr/bin/env node

/**
 * The ceiling: bare node:http. Reads the request body (as any real server must), then answers every
 * request with the same fixed JSON. Same start protocol as the mock: `--port N` (0 = a free one),
 * one line `listening on http://127.0.0.1:PORT` on stdout; SIGTERM/SIGINT close it and exit 0.
 */
const http = require('node:http');
const { parseArgs } = require('node:util');
const { FIXED_BODY } = require('./fixed-body');

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const host = values.host ?? '127.0.0.1';
const port = Number(values.port ?? 0);
const body = Buffer.from(FIXED_BODY);

const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });
});

server.listen(port, host, () => {
  process.stdout.write(`listening on http://${host}:${server.address().port}\n`);
});
server.on('error', (error) => {
  process.stderr.write(`bare-http: ${error.message}\n`);
  process.exit(1);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

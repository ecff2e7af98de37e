// A small reverse proxy on 127.0.0.1 for the benchmarks: every request goes to the next platform instance in turn
// (per request, not per connection), so one officer's requests land on every instance.
const http = require('node:http');

/** Listens on `port` and forwards round robin to `targets` (ports on 127.0.0.1); `answered[i]` counts target i. */
function startProxy(port, targets) {
  const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: Infinity }));
  const answered = targets.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next;
    next = (next + 1) % targets.length;
    const upstream = http.request(
      { host: '127.0.0.1', port: targets[i], method: req.method, path: req.url, headers: req.headers, agent: agents[i] },
      (answer) => {
        answered[i]++;
        res.writeHead(answer.statusCode, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('instance unreachable');
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        answered,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => (agents.forEach((a) => a.destroy()), done())))),
      }),
    ),
  );
}

module.exports = { startProxy };

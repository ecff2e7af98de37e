// Preloaded into the platform by routes.js (`node --require ./routes-probe.js main.js`): the statement capture of
// rush-capture.js ('start' / 'stop' on the IPC channel), and the routes the running application answers: on a 'routes'
// message it answers { routes: ["GET /path/:id", …] }, read from Express's router as test/support/routes.ts does.
const http = require('node:http');
require('./rush-capture');

let handler = null;
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  const [app] = this.listeners('request');
  if (app?.router?.stack) handler = app;
  return listen.apply(this, args);
};

function routes() {
  if (!handler) return [];
  return handler.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((method) => `${method.toUpperCase()} ${layer.route.path}`),
    )
    .sort();
}

if (process.send) {
  process.on('message', (message) => {
    if (message === 'routes') process.send({ routes: routes() });
  });
}

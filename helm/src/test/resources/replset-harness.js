// Runs the chart's replset.js under Node with the few mongosh globals it uses, on one scenario (the
// member's own mongod and what the other members answer), the way `mongosh --nodb --quiet --norc
// replset.js` runs it in the sidecar. mongosh is not available where the tests run; this stands in for
// its shell API only (connect, db.hello/getSiblingDB, rs.*, print, quit), not for MongoDB.
//   node replset-harness.js <scenario.json> <replset.js>
// Writes one JSON line per shell call that changes the set or its users ({"call": ...}), then exits
// with the script's quit() code.
'use strict';
const fs = require('fs');
const vm = require('vm');

const scenario = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const script = fs.readFileSync(process.argv[3], 'utf8');
const record = (entry) => fs.writeSync(1, JSON.stringify(entry) + '\n');
// mongosh's quit() ends the process at once, even inside try/catch
const quit = (code) => {
  record({ exit: code === undefined ? 0 : code });
  process.exit(code === undefined ? 0 : code);
};

const self = scenario.self; // this member's own mongod (127.0.0.1)
const users = Object.assign({}, self.users || {}); // "db/user" -> password

function localDb(name) {
  return {
    hello: () => self.hello,
    getSiblingDB: (other) => localDb(other),
    getUser: (user) => (users[name + '/' + user] === undefined ? null : { user: user, db: name }),
    createUser: (spec) => {
      record({ call: 'createUser', db: name, user: spec.user, pwd: spec.pwd, roles: spec.roles });
      users[name + '/' + spec.user] = spec.pwd;
    },
    updateUser: (user, spec) => {
      record({ call: 'updateUser', db: name, user: user, pwd: spec.pwd, roles: spec.roles });
      users[name + '/' + user] = spec.pwd;
    },
    runCommand: (cmd) => (cmd.hello ? self.hello : { ok: 1 }),
  };
}

// connect(uri): 127.0.0.1 with credentials is this member (fails while its mongod does not answer or
// rejects the login); any other host is another member, which answers `hello` or does not answer.
function connect(uri) {
  const m = /^mongodb:\/\/(?:([^:@/]+):([^@/]+)@)?([^/?]+)\/([^?]*)/.exec(uri);
  if (!m) {
    throw new Error('unparsable URI ' + uri);
  }
  const [, user, password, host, path] = m;
  if (host.startsWith('127.0.0.1')) {
    if (!self.answers) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:27017');
    }
    const source = decodeURIComponent(path) || 'admin';
    if (users[source + '/' + decodeURIComponent(user)] !== decodeURIComponent(password)) {
      throw new Error('Authentication failed.');
    }
    return localDb(source);
  }
  const other = (scenario.others || {})[host];
  if (!other) {
    throw new Error('getaddrinfo ENOTFOUND ' + host);
  }
  return { runCommand: (cmd) => (cmd.hello ? other : { ok: 1 }) };
}

const rs = {
  initiate: (config) => record({ call: 'rs.initiate', config: config }),
  conf: () => ({ members: (self.config || []).map((host) => ({ host: host })) }),
  add: (member) => record({ call: 'rs.add', member: member }),
};

process.env = Object.assign({}, scenario.env);
const context = { connect, quit, print: () => {}, rs, process, db: undefined };
vm.createContext(context);
vm.runInContext(script, context);
quit(0); // mongosh exits 0 at the end of a script that does not quit

// Loaded before Comunica (node --require tests/comunica/loopback-only.cjs …) by tests/http/test_clients.py: the
// process may open TCP connections and look up names on the loopback interface only. Anything else ends it
// at once with exit code 97 and a line on stderr, before a packet leaves: the test then fails, naming the host.
"use strict";

const dns = require("node:dns");
const net = require("node:net");

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]);

function refuse(what, host) {
  process.stderr.write(`loopback-only: refused ${what} ${host}\n`);
  process.exit(97);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() passes [options, callback] as one array; socket.connect() gets (options | port, host, …)
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host = "localhost";
  if (first !== null && typeof first === "object") {
    if (first.path) {
      return connect.apply(this, args);  // a Unix socket or a pipe: not the network
    }
    host = first.host || "localhost";
  } else if (typeof first === "string" && !/^\d+$/.test(first)) {
    return connect.apply(this, args);  // socket.connect(path)
  } else if (typeof args[1] === "string") {
    host = args[1];
  }
  if (!LOOPBACK.has(String(host).replace(/^\[|\]$/g, ""))) {
    refuse("a connection to", host);
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (!LOOPBACK.has(hostname)) {
    refuse("a name lookup of", hostname);
  }
  return lookup.call(this, hostname, ...rest);
};
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  if (!LOOPBACK.has(hostname)) {
    refuse("a name lookup of", hostname);
  }
  return lookupPromise.call(this, hostname, ...rest);
};

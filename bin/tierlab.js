#!/usr/bin/env node
// The package bin stays plain JavaScript that parses on old Node (nothing newer than Node 14
// here) so `npx tierlab` works on whatever Node runs it. The CLI itself is TypeScript, run by
// Node's own type stripping, and needs Node >= 22.22 (@platformatic/kafka's floor too). On an
// older Node this file re-runs itself with the Node 24 that scripts/env.sh caches, or says in
// one line what to run; it never lets the old Node reach a .ts file and print a stack trace. In a
// clone whose dependencies are not installed yet it has scripts/env.sh install them first.
// package.json's `engines` is this file's (Node >= 20), so npx does not warn of an engine it
// then brings itself.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { constants, homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';

var minimum = [22, 22];
// Set to the Node re-run with, so a cached Node that turns out too old is reported, not re-run forever.
var reexecMarker = 'TIERLAB_NODE_REEXEC';
// Signals someone may send to this process that the CLI needs to see (SIGUSR1 is Node's own,
// for the inspector; Windows can listen for only a few).
var forwardedSignals = process.platform === 'win32' ? ['SIGINT', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

function nodeIsNewEnough(version) {
  var parts = version.replace(/^v/, '').split('.').map(Number);
  return parts[0] > minimum[0] || (parts[0] === minimum[0] && parts[1] >= minimum[1]);
}

// The release scripts/env.sh installs for this platform (scripts/node24/PLATFORM), if it pins one.
function pinnedNodeVersion() {
  var pin = fileURLToPath(new URL('../scripts/node24/' + process.platform + '-' + process.arch + '/package.json', import.meta.url));
  if (!existsSync(pin)) return undefined;
  var dependencies = JSON.parse(readFileSync(pin, 'utf8')).dependencies;
  return dependencies[Object.keys(dependencies)[0]];
}

// The same place scripts/env.sh installs it: ${TIERLAB_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/tierlab}
// (an empty variable counts as unset, as it does in the shell).
function cachedNodeDir(env, version) {
  var cacheRoot = env.TIERLAB_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tierlab');
  return join(cacheRoot, 'node-' + version, 'node_modules', '.bin');
}

function fail(line) {
  process.stderr.write('tierlab: ' + line + '\n');
  process.exit(1);
}

// Runs `command` with `leading` arguments, then this command's own; by default this file again with `command` as the Node.
function rerun(command, leading) {
  var env = Object.assign({}, process.env);
  if (leading === undefined) {
    leading = [fileURLToPath(import.meta.url)];
    env[reexecMarker] = command;
    // As scripts/env.sh does: anything the CLI runs by name as `node` gets the same Node.
    env.PATH = dirname(command) + delimiter + (env.PATH || '');
  }
  // The handlers are in place before the child starts: the child can be running, and be seen
  // running, before spawn() returns here, and a signal sent then must still reach it. Node runs a
  // signal's handler from the event loop, after this function has assigned `child`.
  var child;
  var handlers = {};
  var interactive = isatty(0);
  forwardedSignals.forEach(function (signal) {
    handlers[signal] = function () {
      // Ctrl-C at a terminal reaches the whole foreground process group, the child included;
      // passing it on as well would make a second SIGINT, which the CLI takes as "stop now"
      // and skips its cleanup. A SIGINT sent to this process alone (no terminal) is passed on.
      if ((signal === 'SIGINT' || signal === 'SIGQUIT') && interactive) return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on(signal, handlers[signal]);
  });
  // The old Node's own flags (process.execArgv) are left out: they may mean nothing to Node 24.
  child = spawn(command, leading.concat(process.argv.slice(2)), { stdio: 'inherit', env: env });
  child.on('error', function (error) {
    fail('could not run ' + command + ' (' + error.message + '); run `npm run tierlab -- ' + process.argv.slice(2).join(' ') + '` in tierlab\'s folder, or use Node >= ' + minimum.join('.'));
  });
  child.on('exit', function (code, signal) {
    forwardedSignals.forEach(function (s) {
      process.removeListener(s, handlers[s]);
    });
    if (signal) {
      // End the way the child ended, so a shell or CI sees the same signal; should that signal
      // not end this process, exit with the shell's code for it instead.
      setTimeout(function () {
        process.exit(128 + (constants.signals[signal] || 0));
      }, 1000);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

// As scripts/env.sh judges it: the locked dependencies are installed, and not older than the lock.
function dependenciesInstalled() {
  var installed = fileURLToPath(new URL('../node_modules/.package-lock.json', import.meta.url));
  var lock = fileURLToPath(new URL('../package-lock.json', import.meta.url));
  return existsSync(installed) && (!existsSync(lock) || statSync(lock).mtimeMs <= statSync(installed).mtimeMs);
}

if (!dependenciesInstalled()) {
  // A fresh clone: scripts/node.sh installs them (npm's output goes to stderr), with Node 24 if
  // this one is too old, then runs the CLI; stdout stays the command's own (`--version` prints
  // only the version).
  rerun('bash', [fileURLToPath(new URL('../scripts/node.sh', import.meta.url)), fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))]);
} else if (nodeIsNewEnough(process.version)) {
  import('../src/cli/main.ts');
} else {
  var version = pinnedNodeVersion();
  if (version === undefined) {
    fail('Node ' + process.version + ' is older than ' + minimum.join('.') + ', which tierlab needs, and none is pinned for ' + process.platform + '-' + process.arch + ' (scripts/node24); use Node >= ' + minimum.join('.'));
  }
  var cachedNode = join(cachedNodeDir(process.env, version), 'node');
  // `npm run` sources scripts/env.sh, which installs the pinned Node, checked against its integrity.
  var install = 'npm run tierlab -- --version';
  if (process.env[reexecMarker] === cachedNode) {
    fail(cachedNode + ' is ' + process.version + ', older than ' + minimum.join('.') + '; remove ' + dirname(dirname(dirname(cachedNode))) + ' and run `' + install + '` in tierlab\'s folder');
  } else if (existsSync(cachedNode)) {
    rerun(cachedNode);
  } else {
    fail('Node ' + process.version + ' is older than ' + minimum.join('.') + ', which tierlab needs; run `' + install + '` in tierlab\'s folder once (it installs Node ' + version + ' into ' + dirname(dirname(dirname(cachedNode))) + '), or use Node >= ' + minimum.join('.'));
  }
}

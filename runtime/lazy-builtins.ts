// Node built-ins that the runtime needs only once it does something: a first send (http, https, zlib),
// a first id (crypto), the metadata of a first request (os). Importing them up front cost most of the
// runtime's startup (bench/ startup row: node:https with node:tls ~3.7 ms of CPU, node:http ~2.2 ms,
// node:crypto ~2.2 ms, node:zlib ~1.4 ms on Node 20), paid by every process that imports the runtime,
// even one that never sends. Each getter loads its module on first call; Node caches built-ins, and
// each module is also kept here so later calls are a field read.
// process.getBuiltinModule is synchronous and exists from Node 20.16 / 22.3; package.json asks for >= 20.19.
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Os from 'node:os';
import type * as Zlib from 'node:zlib';

let crypto: typeof Crypto | undefined;
let http: typeof Http | undefined;
let https: typeof Https | undefined;
let os: typeof Os | undefined;
let zlib: typeof Zlib | undefined;

export function nodeCrypto(): typeof Crypto {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto;
}

export function nodeHttp(): typeof Http {
  http ??= process.getBuiltinModule('node:http');
  return http;
}

export function nodeHttps(): typeof Https {
  https ??= process.getBuiltinModule('node:https');
  return https;
}

export function nodeOs(): typeof Os {
  os ??= process.getBuiltinModule('node:os');
  return os;
}

export function nodeZlib(): typeof Zlib {
  zlib ??= process.getBuiltinModule('node:zlib');
  return zlib;
}

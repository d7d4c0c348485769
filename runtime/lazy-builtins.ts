// Node built-ins that the runtime needs only once it does something: a first send (http, https, zlib), a
// first id (crypto), the metadata of a first request (os, fs), instrument() (diagnostics_channel), a first
// error or log message (util). Imported up front they were most of the runtime's startup, paid by every
// process that imports it, even one that never sends (CPU on Node 20: node:https with node:tls ~3.7 ms,
// node:http ~2.2 ms, node:crypto ~2.2 ms, node:zlib ~1.4 ms; an ESM `import` of node:fs ~1.2 ms because
// its ESM facade reads fs's lazy stream getters and so loads node:stream; of node:util ~0.3 ms).
// Each getter loads its module on first call and keeps it, so later calls are a field read.
// process.getBuiltinModule is synchronous and exists from Node 20.16 / 22.3; package.json asks for >= 20.19.
import type * as Crypto from 'node:crypto';
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type * as Fs from 'node:fs';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Os from 'node:os';
import type * as Util from 'node:util';
import type * as Zlib from 'node:zlib';

let crypto: typeof Crypto | undefined;
let diagnosticsChannel: typeof DiagnosticsChannel | undefined;
let fs: typeof Fs | undefined;
let http: typeof Http | undefined;
let https: typeof Https | undefined;
let os: typeof Os | undefined;
let util: typeof Util | undefined;
let zlib: typeof Zlib | undefined;

export function nodeCrypto(): typeof Crypto {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto;
}

export function nodeDiagnosticsChannel(): typeof DiagnosticsChannel {
  diagnosticsChannel ??= process.getBuiltinModule('node:diagnostics_channel');
  return diagnosticsChannel;
}

export function nodeFs(): typeof Fs {
  fs ??= process.getBuiltinModule('node:fs');
  return fs;
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

export function nodeUtil(): typeof Util {
  util ??= process.getBuiltinModule('node:util');
  return util;
}

export function nodeZlib(): typeof Zlib {
  zlib ??= process.getBuiltinModule('node:zlib');
  return zlib;
}

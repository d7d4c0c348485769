import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WeaveOptionsError } from '../transformer/core/options.js';
import type { PluginOptions } from './options.js';

/** Read from the working directory when present. */
export const OPTIONS_FILE = 'apm-weaver.config.json';
/** Path of another options file, instead of ./apm-weaver.config.json. */
export const OPTIONS_FILE_ENV = 'APM_WEAVER_CONFIG';
/** Inline JSON options; its keys win over the file's. */
export const OPTIONS_ENV = 'APM_WEAVER_OPTIONS';

/** What `--import apm-weaver/register` weaves with: JSON only (no `onWarning`: warnings go to stderr). */
export type RegisterOptions = Omit<PluginOptions, 'onWarning'>;

/**
 * The `--import` hook has no config object, so its options come from JSON: the file named by APM_WEAVER_CONFIG, or
 * else ./apm-weaver.config.json when it exists; then APM_WEAVER_OPTIONS (inline JSON) on top, key by key.
 * A file or variable that is not valid JSON is a configuration error and stops the process before the app starts.
 */
export function loadRegisterOptions(
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): RegisterOptions {
  const fileOption = env[OPTIONS_FILE_ENV];
  const file = fileOption ? resolve(cwd, fileOption) : resolve(cwd, OPTIONS_FILE);
  let options: Record<string, unknown> = {};
  if (fileOption || existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new WeaveOptionsError(`cannot read options file ${file} (${OPTIONS_FILE_ENV})`, { cause: error });
    }
    options = parseObject(text, file);
  }
  const inline = env[OPTIONS_ENV];
  if (inline) options = { ...options, ...parseObject(inline, OPTIONS_ENV) };
  if ('onWarning' in options)
    throw new WeaveOptionsError(`"onWarning" cannot be set from ${OPTIONS_ENV} or a JSON file`);
  return options as RegisterOptions;
}

function parseObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WeaveOptionsError(`${where} is not valid JSON`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WeaveOptionsError(`${where} must hold a JSON object of options`);
  }
  return value as Record<string, unknown>;
}

/**
 * Loads uWebSockets.js and tells whether the native binary is running. The
 * package silently falls back to a slow pure-JS implementation when its
 * binary does not load; native addons show up in require.cache, the fallback
 * does not.
 */
import { createRequire } from 'node:module';
import type * as UwsTypes from 'uWebSockets.js';

const require = createRequire(import.meta.url);

export const uws = require('uWebSockets.js') as typeof UwsTypes;

export interface UwsImplementation {
  native: boolean;
  /** Path of the loaded native binary, or of the fallback's entry. */
  module: string;
}

export function uwsImplementation(): UwsImplementation {
  const binary = Object.keys(require.cache).find((k) => /uWebSockets\.js[\\/]binaries[\\/]uws_.*\.node$/.test(k));
  return binary ? { native: true, module: binary } : { native: false, module: require.resolve('uWebSockets.js') };
}

import { init } from '../../src/entry/node.js';
import type { BackendName } from '../../src/init.js';

/** Every backend, in the order tests run them. */
export const BACKENDS: BackendName[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** Switches the library to `name` (init is idempotent for the same backend). */
export async function useBackend(name: BackendName): Promise<void> {
  await init({ backend: name });
}

export const SIZES = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33, 1000];

export { sameBits, seeded } from './data.js';

// Types of the `descent/wasm/simd`, `descent/wasm/relaxed` and `descent/wasm/scalar` subpaths (the packaged .wasm files).
// Imported as a module where the platform compiles .wasm imports (workerd with a CompiledWasm rule,
// Deno's `import source`), the default export is a WebAssembly.Module. Bundlers may give something
// else by their own rules (esbuild's file loader: the emitted file's URL; its binary loader: the
// bytes); init() takes all of these.
declare const build: WebAssembly.Module;
export default build;

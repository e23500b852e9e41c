// .wasm imports in the module entry are WebAssembly.Module objects (workerd CompiledWasm rule,
// edge-light, Deno's `import source`).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

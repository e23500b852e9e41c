/**
 * The reverse pass: from an output and its seed, walks the nodes backwards and calls each VJP. The
 * VJPs' op calls are recorded in the same trace, so the gradient is itself a graph: differentiable
 * again when `createGraph` (reverse over reverse, for hessian/jacobian), or just a list of kernels
 * to replay (a training step).
 */
import type { Trace } from './engine.js';
import { add } from './ops/broadcast.js';
import type { Val } from './values.js';

export function backward(t: Trace, out: Val, seed: Val, end: number, createGraph: boolean): Map<Val, Val> {
  const grads = new Map<Val, Val>();
  grads.set(out, seed);
  const nodes = t.plan.nodes;
  const prevNoGrad = t.noGrad, prevOrigin = t.origin;
  t.noGrad = !createGraph;
  try {
    for (let i = end - 1; i >= 0; i--) {
      const node = nodes[i];
      if (!node.requiresGrad || node.out === null) continue;
      const g = grads.get(node.out);
      if (g === undefined) continue;
      const needs = node.inputs.map((v) => t.requiresGrad(v));
      t.origin = node.origin ?? node.op.name;
      const gins = node.op.vjp!(node, g, needs);
      for (let j = 0; j < gins.length; j++) {
        const gj = gins[j];
        if (!needs[j] || gj === null || gj === undefined) continue;
        const v = node.inputs[j];
        const prev = grads.get(v);
        grads.set(v, prev === undefined ? gj : add(prev, gj));
      }
    }
  } finally {
    t.noGrad = prevNoGrad;
    t.origin = prevOrigin;
  }
  return grads;
}

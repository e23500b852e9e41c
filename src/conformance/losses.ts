/**
 * Conformance handler for losses.json: each case's loss value and gradient (PyTorch float64
 * autograd) against descent's loss functions, on every backend. descent computes in float32 from
 * the float32-rounded inputs, so the tolerance is the README's float32 budget
 * |x − ref| <= 1e-6 + 1e-5·|ref| for the loss and every gradient element. For the multiclass hinge
 * the stored torch_multi_margin_loss (= loss / classes) is checked too.
 */
import {
  bceWithLogitsLoss, huberLoss, mseLoss, multiclassHingeLoss, softmaxCrossEntropyLoss,
  type LossResult,
} from '../losses/index.js';
import { within, type CaseResult, type Handler } from './types.js';

const ATOL = 1e-6, RTOL = 1e-5;

function flat(v: unknown): number[] {
  return Array.isArray(v) ? (v as unknown[]).flatMap((x) => flat(x)) : [v as number];
}

function asInput(v: unknown): number[] | number[][] {
  return v as number[] | number[][];
}

function runCase(c: any): { result: LossResult; extra?: { name: string; got: number; ref: number } } {
  const p = c.params ?? {};
  const reduction = p.reduction === 'sum' ? 'sum' : 'mean';
  const inputs = c.inputs;
  switch (c.loss_kind) {
    case 'softmax_cross_entropy':
      return { result: softmaxCrossEntropyLoss(inputs.logits, inputs.targets, { reduction }) };
    case 'bce_with_logits':
      return { result: bceWithLogitsLoss(asInput(inputs.logits), inputs.targets, { reduction }) };
    case 'mse':
      return { result: mseLoss(asInput(inputs.predictions), flat(inputs.targets), { reduction }) };
    case 'huber':
      return { result: huberLoss(asInput(inputs.predictions), flat(inputs.targets), { reduction, delta: p.delta ?? 1 }) };
    case 'multiclass_hinge': {
      // 'mean over N, sum over j != y' is descent's 'mean' for a class loss
      const result = multiclassHingeLoss(inputs.scores, inputs.targets, { delta: p.delta ?? 1 });
      const classes = inputs.scores[0]?.length ?? 1;
      const extra = c.torch_multi_margin_loss === undefined ? undefined
        : { name: 'torch_multi_margin_loss', got: result.loss / classes, ref: c.torch_multi_margin_loss };
      return { result, extra };
    }
    default:
      throw new Error(`unknown loss_kind ${JSON.stringify(c.loss_kind)}`);
  }
}

export const lossesHandler: Handler = {
  name: 'losses',
  matches: (f) => f === 'losses.json',
  async run(file, json, ctx) {
    const out: CaseResult[] = [];
    for (const backend of ctx.backends) {
      await ctx.useBackend(backend);
      for (const c of json.cases as any[]) {
        const name = String(c.name);
        try {
          const { result, extra } = runCase(c);
          const refGrad = flat(c.grad);
          if (refGrad.length !== result.grad.length) {
            out.push({ file, name, backend, passed: false, detail: `gradient has ${result.grad.length} elements, reference ${refGrad.length}` });
            continue;
          }
          const l = within(result.loss, c.loss, ATOL, RTOL);
          let worst = 0, worstAt = -1, ok = l.ok;
          for (let i = 0; i < refGrad.length; i++) {
            const w = within(result.grad[i], refGrad[i], ATOL, RTOL);
            if (!w.ok) ok = false;
            if (w.used > worst) { worst = w.used; worstAt = i; }
          }
          let extraText = '';
          if (extra) {
            const e = within(extra.got, extra.ref, ATOL, RTOL);
            if (!e.ok) ok = false;
            extraText = `; ${extra.name} ${extra.got.toPrecision(7)} (${(e.used * 100).toFixed(1)}%)`;
          }
          const detail =
            `loss ${result.loss.toPrecision(10)} vs ${c.loss} (${(l.used * 100).toFixed(1)}% of 1e-6+1e-5|ref|); ` +
            `grad worst ${worstAt >= 0 ? `[${worstAt}] ${result.grad[worstAt]} vs ${refGrad[worstAt]} (${(worst * 100).toFixed(1)}%)` : 'exact'}` +
            extraText;
          out.push({ file, name, backend, passed: ok, detail });
        } catch (e) {
          out.push({ file, name, backend, passed: false, detail: `threw: ${(e as Error).message}` });
        }
      }
    }
    return out;
  },
};
